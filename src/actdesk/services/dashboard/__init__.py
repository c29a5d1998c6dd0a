"""Qt-free data gathering of the dashboards: each function is one background task's work and returns plain
data (frames, dataclasses) that the window only draws. The numbers come from the analytics, alerts,
schedule and mail engines; nothing here recomputes what they already compute."""
