from . import mail_capture_unmatched_link
