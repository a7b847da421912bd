# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    lot_reassign_qty = fields.Float(
        string="Units to Reassign",
        compute="_compute_lot_reassign_qty",
        search="_search_lot_reassign_qty",
        digits="Product Unit of Measure",
        groups="stock.group_stock_manager",
        help="On-hand quantity of this product, in the internal and transit "
        "locations of the companies you work in, that carries no lot/serial "
        "number, or, tracked by serial numbers, sits in a serial number of more "
        "than one unit.",
    )

    def _compute_lot_reassign_qty(self):
        procedure = self.env["stock.lot.reassignment.procedure"]
        templates = self._origin
        qty_by_variant = procedure._get_qty_to_reassign_by_product(
            procedure._get_variants(templates), self.env.companies
        )
        for template in self:
            template.lot_reassign_qty = sum(
                qty_by_variant.get(variant.id, 0.0)
                for variant in procedure._get_variants(template._origin)
            )

    def _search_lot_reassign_qty(self, operator, value):
        """Templates whose variants hold, in all, this much stock without
        lot/serial (as the field shows it: the companies you work in)."""
        procedure = self.env["stock.lot.reassignment.procedure"]
        by_variant = procedure._get_qty_to_reassign_by_product(None, self.env.companies)
        by_template = defaultdict(float)
        for variant in self.env["product.product"].browse(list(by_variant)):
            by_template[variant.product_tmpl_id.id] += by_variant[variant.id]
        return procedure._get_quantity_domain(by_template, operator, value)

    def action_open_lot_reassignment_wizard(self):
        """Open the reassignment wizard on these products."""
        return self._open_lot_reassignment_wizard()

    def _open_lot_reassignment_wizard(self, lots=None):
        """The wizard on these products; ``lots``: ticked to reassign."""
        self.env["stock.lot.reassignment.check"]._check_access()
        wizard = self.env["stock.lot.reassignment.wizard"]._create_for_products(
            self, lots=lots
        )
        return wizard._get_form_action()

    def action_export_lot_reassignment_count_sheet(self):
        """The count sheet (XLSX) of these products' stock without lot/serial."""
        self.env["stock.lot.reassignment.check"]._check_access()
        wizard = self.env["stock.lot.reassignment.wizard"]._create_for_products(self)
        return wizard.action_export_count_sheet()

    def reassign_lots(self, tracking, assignments, unreserve=False, background=False):
        """Give lot/serial numbers to the stock of these products that has none.

        Odoo's documented procedure, in one transaction: an inventory adjustment
        sets every quant without lot/serial to zero, the products switch to
        ``tracking``, then a second inventory adjustment puts the same quantity
        back, in the same location, package and owner, carried by lots/serials.

        :param str tracking: ``'lot'`` or ``'serial'``
        :param list assignments: dicts with the keys ``product_id``,
            ``location_id``, ``package_id`` (optional), ``owner_id`` (optional),
            ``lot_name`` and ``quantity`` (ids; 1 for each serial). They must
            cover every unit without lot/serial exactly. For a product whose
            stock without lot/serial is already zero (the documentation's first
            step done by hand), they are the quantities to restore.
        :param bool unreserve: when this stock is reserved by transfers or
            manufacturing orders that nobody started, unreserve them first
            and reserve them again at the end (Odoo's reservation, on the
            lots/serials), in the same transaction; without it, reserved
            stock is refused, naming the transfers
        :param bool background: check the plan now (a refusal is raised at
            once, nothing changes), store it and let the scheduled action run
            it, one product per transaction; the caller follows the run on
            the ``stock.lot.reassignment`` record (``state``, ``progress``,
            ``error``)
        :return: ids of the ``stock.lot`` records used or created; the
            ``stock.lot.reassignment`` record of the run lists them
            (``lot_created_ids``, ``lot_reused_ids``); with ``background``,
            the id of that record, queued
        :rtype: list or int
        """
        self.env["stock.lot.reassignment.input"]._check_flag("background", background)
        if background:
            return (
                self.env["stock.lot.reassignment.runner"]
                ._enqueue(self, tracking, assignments, unreserve)
                .id
            )
        lots, __ = self.env["stock.lot.reassignment.procedure"]._run(
            self, tracking, assignments, unreserve=unreserve
        )
        return lots.ids
