from . import mail_capture_mailbox
from . import res_users
