from . import test_gmail_mailbox
from . import test_gmail_sending
from . import test_gmail_tour
