# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_compare


class StockLotReassignmentWizardLine(models.TransientModel):
    """A place of the products' stock and the lot/serial it carries (none:
    the stock without lot/serial), to reassign or to leave as it is."""

    _name = "stock.lot.reassignment.wizard.line"
    _description = "Lot/Serial Reassignment: Stock to Reassign"
    _order = "product_id, location_id, id"
    _rec_names_search = [  # noqa: RUF012 (Odoo's own form of this attribute)
        "product_id",
        "location_id",
        "package_id",
        "owner_id",
        "lot_id",
    ]

    wizard_id = fields.Many2one(
        "stock.lot.reassignment.wizard", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    location_id = fields.Many2one("stock.location", required=True, readonly=True)
    package_id = fields.Many2one("stock.quant.package", readonly=True)
    owner_id = fields.Many2one("res.partner", readonly=True)
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot/Serial Number",
        readonly=True,
        help="The lot/serial number this stock carries now; empty: none.",
    )
    lot_label = fields.Char("Lot/Serial", compute="_compute_lot_label")
    lot_quantity = fields.Float(
        "In the Lot",
        digits="Product Unit of Measure",
        readonly=True,
        help="The lot/serial number's stock in every place.",
    )
    is_required = fields.Boolean(
        "Must Change",
        compute="_compute_is_required",
        help="The chosen tracking does not fit this stock as it is: stock "
        "without lot/serial, a serial number of more than one unit, any "
        "lot/serial number when tracking is removed.",
    )
    to_reassign = fields.Boolean(
        "Reassign",
        compute="_compute_to_reassign",
        store=True,
        readonly=False,
        help="Set this stock to zero and put it back with new lot/serial "
        "numbers (none, without tracking). Stock that must change is always "
        "reassigned; tick any other lot to reassign it too.",
    )
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

    @api.depends("lot_id")
    def _compute_lot_label(self):
        for line in self:
            line.lot_label = line.lot_id.name or "—"

    @api.depends("lot_id", "lot_quantity", "wizard_id.tracking")
    def _compute_is_required(self):
        for line in self:
            tracking = line.wizard_id.tracking
            line.is_required = (
                not line.lot_id
                or tracking == "none"
                or (
                    tracking == "serial"
                    and float_compare(
                        line.lot_quantity,
                        1,
                        precision_rounding=line.product_id.uom_id.rounding,
                    )
                    != 0
                )
            )

    @api.depends("is_required")
    def _compute_to_reassign(self):
        for line in self:
            line.to_reassign = line.is_required or line.to_reassign

    @api.depends("quantity", "to_reassign", "assignment_ids.quantity")
    def _compute_quantity_assigned(self):
        for line in self:
            assigned = sum(line.assignment_ids.mapped("quantity"))
            line.quantity_assigned = assigned
            line.quantity_remaining = (
                line.quantity if line.to_reassign else 0.0
            ) - assigned

    @api.depends("product_id", "location_id", "package_id", "owner_id", "lot_id")
    def _compute_display_name(self):
        procedure = self.env["stock.lot.reassignment.procedure"]
        for line in self:
            line.display_name = procedure._get_source_label(procedure._get_source(line))

    def _get_history_action(self):
        """Odoo's own History of the quant this line stands for."""
        self.ensure_one()
        quant = self.env["stock.quant"].new(
            {
                "product_id": self.product_id.id,
                "location_id": self.location_id.id,
                "package_id": self.package_id.id,
                "owner_id": self.owner_id.id,
                "lot_id": self.lot_id.id,
            }
        )
        return quant.action_inventory_history()

    def action_history(self):
        return self._get_history_action()
