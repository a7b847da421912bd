# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models
from odoo.tools import float_is_zero

from .stock_lot_reassignment_procedure import STOCK_USAGES
from .stock_quant_sync import removing_own_quants, validating_own_moves

# product_expiry's dates of a lot, carried to the lots made from it
LOT_DATE_FIELDS = ("expiration_date", "use_date", "removal_date", "alert_date")


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
    def _remove_stock(self, quants):
        """Count zero on these quants and apply, as Physical Inventory does;
        the moves Odoo's ``_apply_inventory`` makes of those without
        lot/serial are the reassignment's own (their quants moved at once,
        ``QuantSync``); those of lots are validated as Odoo validates them."""
        untracked = quants.filtered(lambda q: not q.lot_id)
        with removing_own_quants(untracked, self._get_last_move()):
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
        """One inventory move per source (place and lot replaced), one move
        line per lot/serial (one without lot, when tracking is removed).

        :return: the lots used, in the order of the plan, the lots created,
            and the moves, in the order of the plan's sources
        """
        Procedure = self.env["stock.lot.reassignment.procedure"]
        Procedure._prefetch_companies(source.place for source in plan)
        lots, created = self._get_or_create_lots(plan)
        company_of = Procedure._get_company
        products = self.env["product.product"].union(
            *(source.place.product for source in plan)
        )
        name = self._get_move_name(products, "restore")
        sources = list(plan)
        places = [source.place for source in sources]
        move_vals = [
            self._get_inventory_move_values(
                source.place, sum(quantity for __, quantity in plan[source]), name
            )
            for source in sources
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
                    lot_id=lots[place.product, company_of(place.location), lot_name].id
                    if lot_name
                    else False,
                    quantity=quantity,
                )
                for move, source, place, vals in zip(
                    moves, sources, places, line_vals, strict=True
                )
                for lot_name, quantity in plan[source]
            ]
        )
        # the one place the quant replay may run: these moves only
        with validating_own_moves(moves):
            moves._action_done()
        self._reset_counts(moves)
        return self.env["stock.lot"].union(*lots.values()), created, moves

    @api.model
    def _get_or_create_lots(self, plan):
        """Existing lots of the products are reused, missing ones created; a
        lot made from an old one (``from_lot_id``) gets its dates
        (product_expiry) unless the assignment gives a date.

        :return: ``{(product, company, lot_name): stock.lot}``, and the lots
            created
        """
        company_of = self.env["stock.lot.reassignment.procedure"]._get_company
        wanted = {}
        for source, lines in plan.items():
            for lot_name, __ in lines:
                if lot_name:
                    place = source.place
                    key = (place.product, company_of(place.location), lot_name)
                    wanted.setdefault(key, source.lot)
        if not wanted:
            return {}, self.env["stock.lot"]
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
                self._prepare_lot_vals(product, company, name, dates, wanted[key])
                for key in missing
                for product, company, name in [key]
            ]
        )
        lots.update(zip(missing, created, strict=True))
        return {key: lots[key] for key in wanted}, created

    @api.model
    def _prepare_lot_vals(self, product, company, name, dates, from_lot):
        """``dates``: ``{(product id, lot name): expiration date}``;
        ``from_lot``: the lot this one replaces (or none)."""
        vals = {"product_id": product.id, "company_id": company.id, "name": name}
        if (product.id, name) in dates:
            # product_expiry computes best before, removal and alert from it
            vals["expiration_date"] = dates[(product.id, name)]
        elif from_lot:
            vals.update(self._get_lot_dates(from_lot))
        return vals

    @api.model
    def _get_lot_dates(self, lot):
        """The dates product_expiry keeps on a lot, as they are on it."""
        return {
            name: lot[name]
            for name in LOT_DATE_FIELDS
            if name in lot._fields and lot[name]
        }

    @api.model
    def _get_inventory_move_values(self, place, quantity, name, lot=None):
        """Odoo's values of the inventory move (and its one move line)
        putting ``quantity`` back at ``place``, with ``lot`` when given."""
        product, location, package, owner = place
        company = self.env["stock.lot.reassignment.procedure"]._get_company(location)
        quant = self.env["stock.quant"].new(
            {
                "product_id": product.id,
                "location_id": location.id,
                "package_id": package.id,
                "owner_id": owner.id,
                "lot_id": lot.id if lot else False,
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
        lot_ids = lines.lot_id.ids
        if any(not ml.lot_id for ml in lines):  # tracking removed
            lot_ids.append(False)
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", lines.product_id.ids),
                    ("location_id", "in", lines.location_dest_id.ids),
                    ("lot_id", "in", lot_ids),
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
    def _unlink_emptied_quants(self, products, removed):
        """Drop the emptied quants without lot/serial of these products, and
        those of the lots ``removed`` took to zero.

        Odoo's scheduler would do it later; until then they would still show
        in the quant views, as stock without lot/serial or as the old lots.
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
            | removed.exists()
        ).filtered(
            lambda q: (
                float_is_zero(q.quantity, precision_rounding=q.product_uom_id.rounding)
                and float_is_zero(
                    q.reserved_quantity,
                    precision_rounding=q.product_uom_id.rounding,
                )
            )
        )
        empty.unlink()

    @api.model
    def _put_back(self, quantity_by_source, name):
        """The undo's second step: inventory moves putting each quantity
        back at its place, with the lot it had (or none), validated as Odoo
        validates them (not the replay: these are not the procedure's
        restore moves)."""
        moves = (
            self.env["stock.move"]
            .with_context(inventory_mode=False)
            .create(
                [
                    self._get_inventory_move_values(
                        source.place, quantity, name, source.lot
                    )
                    for source, quantity in quantity_by_source.items()
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
