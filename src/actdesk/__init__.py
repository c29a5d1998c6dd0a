"""actdesk: a desktop CRM that protects and grows an independent advisor's book of business."""

__version__ = "0.1.0"
APP_NAME = "actdesk"
APP_AUTHOR = "actdesk"
