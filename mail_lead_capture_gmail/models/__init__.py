from . import mail_capture_mailbox
