# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import hooks
from . import stock_lot
from . import stock_move_line
from . import stock_quant
