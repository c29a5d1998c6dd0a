"""The Campaigns panel: outbox, campaign builder, template editor and the mail account dialog."""
