from . import stock_lot_reassign_procedure
from . import product_template
from . import product_product
from . import stock_lot_reassign_job
from . import stock_move_line
from . import stock_quant
