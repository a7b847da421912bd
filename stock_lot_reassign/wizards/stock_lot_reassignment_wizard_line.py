# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockLotReassignmentWizardLine(models.TransientModel):
    _name = "stock.lot.reassignment.wizard.line"
    _description = "Lot/Serial Reassignment: Stock Without Lot/Serial"
    _order = "product_id, location_id, id"
    _rec_names_search = [  # noqa: RUF012 (Odoo's own form of this attribute)
        "product_id",
        "location_id",
        "package_id",
        "owner_id",
    ]

    wizard_id = fields.Many2one(
        "stock.lot.reassignment.wizard", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    location_id = fields.Many2one("stock.location", required=True, readonly=True)
    package_id = fields.Many2one("stock.quant.package", readonly=True)
    owner_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one(related="location_id.company_id")
    uom_id = fields.Many2one(related="product_id.uom_id")
    quantity = fields.Float(
        "On Hand",
        digits="Product Unit of Measure",
        help="Stock without lot/serial number here, or, for a line recovered "
        "from the History, the quantity to restore.",
    )
    reserved_quantity = fields.Float(
        "Reserved", digits="Product Unit of Measure", readonly=True
    )
    is_from_history = fields.Boolean(
        "From History",
        readonly=True,
        help="This stock was already set to zero by an inventory adjustment; "
        "its quantity comes from the History.",
    )
    assignment_ids = fields.One2many(
        "stock.lot.reassignment.wizard.assignment", "line_id"
    )
    quantity_assigned = fields.Float(
        "Assigned",
        compute="_compute_quantity_assigned",
        digits="Product Unit of Measure",
    )
    quantity_remaining = fields.Float(
        "Unassigned",
        compute="_compute_quantity_assigned",
        digits="Product Unit of Measure",
    )

    @api.depends("quantity", "assignment_ids.quantity")
    def _compute_quantity_assigned(self):
        for line in self:
            assigned = sum(line.assignment_ids.mapped("quantity"))
            line.quantity_assigned = assigned
            line.quantity_remaining = line.quantity - assigned

    @api.depends("product_id", "location_id", "package_id", "owner_id")
    def _compute_display_name(self):
        procedure = self.env["stock.lot.reassignment.procedure"]
        for line in self:
            line.display_name = procedure._get_place_label(procedure._get_place(line))

    def _get_history_action(self):
        """Odoo's own History of the quant this line stands for."""
        self.ensure_one()
        quant = self.env["stock.quant"].new(
            {
                "product_id": self.product_id.id,
                "location_id": self.location_id.id,
                "package_id": self.package_id.id,
                "owner_id": self.owner_id.id,
            }
        )
        return quant.action_inventory_history()

    def action_history(self):
        return self._get_history_action()
