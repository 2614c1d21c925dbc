from . import mail_capture_unmatched_link
from . import mail_capture_refile
