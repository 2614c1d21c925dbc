from . import test_capture
from . import test_delivery_paths
from . import test_filters
from . import test_filters_block
from . import test_install
from . import test_mailbox_sync
from . import test_tours
from . import test_unmatched
