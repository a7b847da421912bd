# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Stock Lot/Serial Reassignment",
    "summary": "Give lot/serial numbers to stock that has none, split lots into "
    "serials, correct or remove them, in one safe wizard",
    "version": "17.0.1.4.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/stock-lot-reassign/stock_lot_reassign",
    "author": "Stock Lot Reassign Contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["stock", "base_import"],
    "data": [
        "security/ir.model.access.csv",
        "security/stock_lot_reassignment_security.xml",
        "data/ir_cron_data.xml",
        "wizards/stock_lot_reassignment_wizard_views.xml",
        "views/product_template_views.xml",
        "views/product_product_views.xml",
        "views/stock_quant_views.xml",
        "views/stock_lot_views.xml",
        "views/stock_move_line_views.xml",
        "views/stock_lot_reassignment_views.xml",
    ],
    "demo": [
        "demo/stock_lot_reassign_demo.xml",
    ],
    "images": [
        "static/description/screenshot_2_review.png",
        "static/description/screenshot_3_assign.png",
    ],
    "assets": {
        "web.assets_tests": [
            "stock_lot_reassign/static/tests/tours/*.js",
        ],
    },
}
