# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Stock Lot Reassign Test Hooks",
    "summary": "Test only: records the create()/write() calls of lots, move "
    "lines and quants",
    "version": "17.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/stock-lot-reassign/stock_lot_reassign",
    "author": "Stock Lot Reassign Contributors",
    "license": "LGPL-3",
    "depends": ["stock"],
    "data": [],
    "installable": True,
    "auto_install": False,
    "application": False,
}
