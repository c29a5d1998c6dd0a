"""E-mail that goes out on time, exactly once: templates, composition, SMTP, the outbox, campaigns, automations.

Qt-free. The window and the command line call the same functions; every function that touches the book takes
a ``Book`` or a ``Session`` and an explicit ``now``.
"""
