from . import mail_capture_refile
from . import mail_capture_unmatched_link
