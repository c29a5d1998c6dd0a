"""Table models shared by several screens."""
