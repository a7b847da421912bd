from . import test_stock_lot_reassign
from . import test_stock_lot_reassign_refusals
from . import test_stock_lot_reassign_tour
from . import test_stock_lot_reassign_batch
from . import test_stock_quant_sync
from . import test_stock_lot_reassignment_undo
from . import test_stock_lot_reassignment_labels
from . import test_stock_lot_reassign_companies
