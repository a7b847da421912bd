from . import stock_lot_reassignment_row_parser
from . import stock_lot_reassignment_count_sheet
from . import stock_lot_reassignment_wizard
from . import stock_lot_reassignment_wizard_line
from . import stock_lot_reassignment_wizard_assignment
from . import stock_lot_reassignment_wizard_row
from . import stock_lot_reassignment_wizard_transfer
