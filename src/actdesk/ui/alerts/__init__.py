"""The Alerts panel, its table model, dialogs and the background watcher that evaluates the rules."""
