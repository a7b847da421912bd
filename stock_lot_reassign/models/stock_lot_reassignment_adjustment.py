# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import float_is_zero

from .stock_lot_reassignment_procedure import STOCK_USAGES
from .stock_quant_sync import removing_own_quants, validating_own_moves


class StockLotReassignmentAdjustment(models.AbstractModel):
    """The two inventory adjustments of the documented procedure, made with
    Odoo's own methods: the stock without lot/serial counted at zero and
    applied (``_apply_inventory``), then the same quantities put back with
    lots/serials by inventory moves (``_action_done``), both shown in the
    History. The undo runs them the other way round."""

    _name = "stock.lot.reassignment.adjustment"
    _description = "Lot/Serial Reassignment: Inventory Adjustments"

    # ------------------------------------------------------------------
    # Step 1: the stock without lot/serial counted at zero, applied
    # ------------------------------------------------------------------

    @api.model
    def _get_move_name(self, products, step):
        product = (
            products.display_name
            if len(products) == 1
            else _("%(count)s products", count=len(products))
        )
        if step == "remove":
            return _(
                "Lot/Serial Reassignment: %(product)s (stock without lot/serial "
                "removed)",
                product=product,
            )
        return _(
            "Lot/Serial Reassignment: %(product)s (stock restored with lots/serials)",
            product=product,
        )

    @api.model
    def _remove_untracked_stock(self, quants):
        """Count zero on these quants and apply, as Physical Inventory does;
        the moves Odoo's ``_apply_inventory`` makes of them are the
        reassignment's own (their quants moved at once, ``QuantSync``)."""
        with removing_own_quants(quants, self._get_last_move()):
            self._apply_zero_count(
                quants, self._get_move_name(quants.product_id, "remove")
            )

    @api.model
    def _apply_zero_count(self, quants, name):
        """Odoo's inventory adjustment of these quants to zero, its moves
        named ``name``: counted at zero, applied, the count cleared as
        ``action_apply_inventory`` leaves it."""
        if not quants:
            return
        counted = quants.with_context(inventory_mode=True)
        counted.write({"inventory_quantity": 0})
        counted.with_context(inventory_name=name)._apply_inventory()
        counted.write({"inventory_quantity_set": False})

    # ------------------------------------------------------------------
    # Step 3: the same quantities put back with lots/serials
    # ------------------------------------------------------------------

    @api.model
    def _restore_with_lots(self, plan):
        """One inventory move per place, one move line per lot/serial.

        :return: the lots used, in the order of the plan, the lots created,
            and the moves, in the order of the plan's places
        """
        self.env["stock.lot.reassignment.procedure"]._prefetch_companies(plan)
        lots, created = self._get_or_create_lots(plan)
        company_of = self.env["stock.lot.reassignment.procedure"]._get_company
        products = self.env["product.product"].union(*(place.product for place in plan))
        name = self._get_move_name(products, "restore")
        places = list(plan)
        move_vals = [
            self._get_inventory_move_values(
                place, sum(quantity for __, quantity in plan[place]), name
            )
            for place in places
        ]
        line_vals = [vals.pop("move_line_ids")[0][2] for vals in move_vals]
        moves = (
            self.env["stock.move"].with_context(inventory_mode=False).create(move_vals)
        )
        self.env["stock.move.line"].create(
            [
                dict(
                    vals,
                    move_id=move.id,
                    lot_id=lots[place.product, company_of(place.location), lot_name].id,
                    quantity=quantity,
                )
                for move, place, vals in zip(moves, places, line_vals, strict=True)
                for lot_name, quantity in plan[place]
            ]
        )
        # the one place the quant replay may run: these moves only
        with validating_own_moves(moves):
            moves._action_done()
        self._reset_counts(moves)
        return self.env["stock.lot"].union(*lots.values()), created, moves

    @api.model
    def _get_or_create_lots(self, plan):
        """Existing lots of the products are reused, missing ones created.

        :return: ``{(product, company, lot_name): stock.lot}``, and the lots
            created
        """
        company_of = self.env["stock.lot.reassignment.procedure"]._get_company
        wanted = dict.fromkeys(
            (place.product, company_of(place.location), lot_name)
            for place, lines in plan.items()
            for lot_name, __ in lines
        )
        products = self.env["product.product"].union(*(key[0] for key in wanted))
        existing = self.env["stock.lot"].search(
            [
                ("product_id", "in", products.ids),
                ("name", "in", list({key[2] for key in wanted})),
            ]
        )
        lots = {(lot.product_id, lot.company_id, lot.name): lot for lot in existing}
        missing = [key for key in wanted if key not in lots]
        dates = dict(self.env.context.get("lot_reassignment_expiration_dates") or ())
        created = self.env["stock.lot"].create(
            [
                self._prepare_lot_vals(product, company, name, dates)
                for product, company, name in missing
            ]
        )
        lots.update(zip(missing, created, strict=True))
        return {key: lots[key] for key in wanted}, created

    @api.model
    def _prepare_lot_vals(self, product, company, name, dates):
        """``dates``: ``{(product id, lot name): expiration date}``"""
        vals = {"product_id": product.id, "company_id": company.id, "name": name}
        if (product.id, name) in dates:
            # product_expiry computes best before, removal and alert from it
            vals["expiration_date"] = dates[(product.id, name)]
        return vals

    @api.model
    def _get_inventory_move_values(self, place, quantity, name):
        """Odoo's values of the inventory move (and its one move line)
        putting ``quantity`` back at ``place``."""
        product, location, package, owner = place
        company = self.env["stock.lot.reassignment.procedure"]._get_company(location)
        quant = self.env["stock.quant"].new(
            {
                "product_id": product.id,
                "location_id": location.id,
                "package_id": package.id,
                "owner_id": owner.id,
            }
        )
        return quant.with_context(inventory_name=name)._get_inventory_move_values(
            quantity,
            product.with_company(company).property_stock_inventory,
            location,
            package_dest_id=package,
        )

    @api.model
    def _reset_counts(self, moves):
        """Leave the restored quants as Odoo's ``_apply_inventory`` leaves a
        counted quant: no counted quantity, no difference."""
        lines = moves.move_line_ids
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", lines.product_id.ids),
                    ("location_id", "in", lines.location_dest_id.ids),
                    ("lot_id", "in", lines.lot_id.ids),
                    "|",
                    ("inventory_quantity_set", "=", True),
                    ("inventory_diff_quantity", "!=", 0),
                ]
            )
        )
        # two writes, as _apply_inventory: the difference is computed from
        # the counted quantity
        quants.write({"inventory_quantity": 0, "inventory_quantity_set": False})
        quants.write({"inventory_diff_quantity": 0})

    @api.model
    def _unlink_empty_untracked_quants(self, products):
        """Drop the emptied quants without lot/serial of these products.

        Odoo's scheduler would do it later; until then they would still show
        as stock without lot/serial in the quant views.
        """
        empty = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("lot_id", "=", False),
                    ("location_id.usage", "in", STOCK_USAGES),
                ]
            )
            .filtered(
                lambda q: (
                    float_is_zero(
                        q.quantity, precision_rounding=q.product_uom_id.rounding
                    )
                    and float_is_zero(
                        q.reserved_quantity,
                        precision_rounding=q.product_uom_id.rounding,
                    )
                )
            )
        )
        empty.unlink()

    @api.model
    def _put_back_without_lots(self, quantity_by_place, name):
        """The undo's second step: inventory moves putting each quantity
        back at its place without lot/serial, validated as Odoo validates
        them (not the replay: these are not the procedure's restore moves)."""
        moves = (
            self.env["stock.move"]
            .with_context(inventory_mode=False)
            .create(
                [
                    self._get_inventory_move_values(place, quantity, name)
                    for place, quantity in quantity_by_place.items()
                    if quantity
                ]
            )
        )
        moves._action_done()
        return moves

    # ------------------------------------------------------------------
    # The moves made, for the record
    # ------------------------------------------------------------------

    @api.model
    def _get_last_move(self):
        return self.env["stock.move"].sudo().search([], order="id desc", limit=1).id

    @api.model
    def _get_removal_moves(self, products, last_move):
        """The inventory moves the removal made (after ``last_move``)."""
        return (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("id", ">", last_move or 0),
                    ("product_id", "in", products.ids),
                    ("is_inventory", "=", True),
                    ("location_dest_id.usage", "=", "inventory"),
                ]
            )
        )
