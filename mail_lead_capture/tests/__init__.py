from . import test_filters, test_filters_block, test_install
