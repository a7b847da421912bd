# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.tools import float_compare

from .stock_lot_reassignment_procedure import STOCK_USAGES, Place


class StockLotReassignmentHistory(models.AbstractModel):
    """The History (``stock.quant.action_inventory_history``): what the
    documentation's first step, done by hand, set to zero without
    lot/serial, so that the reassignment can restore it with lots/serials."""

    _name = "stock.lot.reassignment.history"
    _description = "Lot/Serial Reassignment: Recovery from the History"

    @api.model
    def _get_products_history_action(self, templates):
        """Odoo's own History, on the inventory moves of these products."""
        variants = self.env["stock.lot.reassignment.procedure"]._get_variants(templates)
        quant = self.env["stock.quant"].new({"product_id": variants[:1].id})
        action = quant.action_inventory_history()
        action["domain"] = [("product_id.product_tmpl_id", "in", templates.ids)]
        if len(variants) > 1:
            action["context"].pop("search_default_product_id", None)
        return action

    @api.model
    def _get_zeroed_stock(self, products):
        """Quantities that inventory adjustments took out without lot/serial.

        For each place whose last movement without lot/serial is an inventory
        adjustment taking stock out, the quantity it took, less what
        adjustments with lots/serials put back there since.

        :return: list of ``(place, quantity, move_line)``
        """
        MoveLine = self.env["stock.move.line"].sudo()
        base = [
            ("product_id", "in", products.ids),
            ("state", "=", "done"),
            ("lot_id", "=", False),
        ]
        last_out = MoveLine._read_group(
            base + [("location_id.usage", "in", STOCK_USAGES)],
            ["product_id", "location_id", "package_id", "owner_id"],
            ["id:max"],
        )
        last_in = MoveLine._read_group(
            base + [("location_dest_id.usage", "in", STOCK_USAGES)],
            ["product_id", "location_dest_id", "result_package_id", "owner_id"],
            ["id:max"],
        )
        last_by_place = {}
        for *place, last_id in last_out + last_in:
            place = tuple(place)
            last_by_place[place] = max(last_by_place.get(place, 0), last_id)
        zeroing = MoveLine.browse(last_by_place.values()).filtered(
            lambda ml: (
                ml.move_id.is_inventory
                and ml.location_id.usage in STOCK_USAGES
                and ml.location_dest_id.usage == "inventory"
            )
        )
        put_back = self._get_put_back_qty(zeroing)
        result = []
        for ml in zeroing.sorted("id"):
            place = Place(ml.product_id, ml.location_id, ml.package_id, ml.owner_id)
            quantity = ml.quantity_product_uom - put_back.get(ml, 0.0)
            rounding = ml.product_id.uom_id.rounding
            if float_compare(quantity, 0, precision_rounding=rounding) > 0:
                result.append((place, quantity, ml))
        return result

    @api.model
    def _get_put_back_qty(self, zeroing_lines):
        """Quantity put back with lots/serials, by an inventory adjustment
        after it, at the place of each zeroing line."""
        if not zeroing_lines:
            return {}
        groups = (
            self.env["stock.move.line"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", zeroing_lines.product_id.ids),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("move_id.is_inventory", "=", True),
                    ("location_dest_id", "in", zeroing_lines.location_id.ids),
                    ("id", ">", min(zeroing_lines.ids)),
                ],
                [
                    "product_id",
                    "location_dest_id",
                    "result_package_id",
                    "owner_id",
                    "id",
                ],
                ["quantity_product_uom:sum"],
            )
        )
        put_back_after = defaultdict(list)
        for product, location, package, owner, line, quantity in groups:
            put_back_after[product, location, package, owner].append(
                (line.id, quantity)
            )
        return {
            ml: sum(
                quantity
                for line_id, quantity in put_back_after[
                    ml.product_id, ml.location_id, ml.package_id, ml.owner_id
                ]
                if line_id > ml.id
            )
            for ml in zeroing_lines
        }
