from . import test_capture
from . import test_install
from . import test_unmatched
