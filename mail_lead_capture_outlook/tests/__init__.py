from . import test_outlook_mailbox
from . import test_outlook_sending
