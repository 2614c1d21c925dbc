from . import test_outlook_mailbox
