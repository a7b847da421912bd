from . import stock_lot_reassign
from . import stock_lot_reassign_line
from . import stock_lot_reassign_assignment
from . import stock_lot_reassign_import_line
