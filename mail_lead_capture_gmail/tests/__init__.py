from . import test_gmail_mailbox
