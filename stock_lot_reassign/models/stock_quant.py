# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

from .batch_create import create_in_batch

LOT_REASSIGN_USAGES = ("internal", "transit")


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def action_open_lot_reassign(self):
        """Open the reassignment wizard on the products of these quants."""
        return self.product_id.product_tmpl_id.action_open_lot_reassign()

    # ------------------------------------------------------------------
    # Stock without lot/serial
    # ------------------------------------------------------------------

    @api.model
    def _get_lot_reassign_domain(self, products):
        return [
            ("product_id", "in", products.ids),
            ("lot_id", "=", False),
            ("location_id.usage", "in", LOT_REASSIGN_USAGES),
            ("quantity", "!=", 0),
        ]

    @api.model
    def _search_lot_reassign_quants(self, products):
        quants = self.search(
            self._get_lot_reassign_domain(products),
            order="product_id, location_id, package_id, owner_id, id",
        )
        return quants.filtered(
            lambda q: (
                not float_is_zero(
                    q.quantity, precision_rounding=q.product_uom_id.rounding
                )
            )
        )

    @api.model
    def _get_lot_reassign_qty_by_product(self, products):
        """On-hand quantity without lot/serial of each product, all companies."""
        if not products:
            return {}
        groups = self.sudo()._read_group(
            self._get_lot_reassign_domain(products), ["product_id"], ["quantity:sum"]
        )
        return {
            product.id: float_round(
                quantity, precision_rounding=product.uom_id.rounding
            )
            for product, quantity in groups
        }

    def _get_lot_reassign_key(self):
        self.ensure_one()
        return (self.product_id, self.location_id, self.package_id, self.owner_id)

    @api.model
    def _lot_reassign_key_label(self, key):
        product, location, package, owner = key
        label = f"{location.display_name} / {product.display_name}"
        if package:
            label += " / " + _("package %(package)s", package=package.display_name)
        if owner:
            label += " / " + _("owner %(owner)s", owner=owner.display_name)
        return label

    @api.model
    def _raise_lot_reassign_errors(self, title, errors, limit=20):
        if not errors:
            return
        lines = errors[:limit]
        if len(errors) > limit:
            lines.append(_("... and %(count)s more.", count=len(errors) - limit))
        raise UserError("\n".join([title] + [f"- {line}" for line in lines]))

    def _check_lot_reassign_reservations(self):
        reserved = self.filtered(
            lambda q: (
                float_compare(
                    q.reserved_quantity, 0, precision_rounding=q.product_uom_id.rounding
                )
                > 0
            )
        )
        if not reserved:
            return
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", reserved.product_id.ids),
                    ("location_id", "in", reserved.location_id.ids),
                    ("lot_id", "=", False),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
        )
        holders = sorted(set(move_lines.mapped("reference")) - {False})
        raise UserError(
            _(
                "%(quantity)s units of %(products)s are reserved without lot/serial "
                "number by these transfers: %(transfers)s. Unreserve them (or "
                "validate them) first, then reassign.",
                quantity=sum(reserved.mapped("reserved_quantity")),
                products=", ".join(reserved.product_id.mapped("display_name")),
                transfers=", ".join(holders) or _("unknown"),
            )
        )

    def _check_lot_reassign_quantities(self, tracking):
        errors = []
        for quant in self:
            rounding = quant.product_uom_id.rounding
            label = self._lot_reassign_key_label(quant._get_lot_reassign_key())
            if float_compare(quant.quantity, 0, precision_rounding=rounding) < 0:
                errors.append(
                    _(
                        "%(line)s: the quantity is negative (%(quantity)s). Correct "
                        "it with an inventory adjustment first.",
                        line=label,
                        quantity=quant.quantity,
                    )
                )
            elif tracking == "serial" and not float_is_zero(
                quant.quantity - round(quant.quantity), precision_rounding=rounding
            ):
                errors.append(
                    _(
                        "%(line)s: %(quantity)s %(uom)s cannot be split into serial "
                        "numbers, one per unit.",
                        line=label,
                        quantity=quant.quantity,
                        uom=quant.product_uom_id.name,
                    )
                )
        self._raise_lot_reassign_errors(
            _("This stock cannot be reassigned as it is:"), errors
        )

    # ------------------------------------------------------------------
    # The two inventory adjustments
    # ------------------------------------------------------------------

    @api.model
    def _lot_reassign_move_name(self, product, step):
        if step == "remove":
            return _(
                "Lot/Serial Reassignment: %(product)s (stock without lot/serial "
                "removed)",
                product=product.display_name,
            )
        return _(
            "Lot/Serial Reassignment: %(product)s (stock restored with lots/serials)",
            product=product.display_name,
        )

    def _lot_reassign_remove(self):
        """Set these quants to zero with an inventory adjustment.

        The moves ``_apply_inventory`` would make, named after each product,
        validated together.
        """
        names = {
            product: self._lot_reassign_move_name(product, "remove")
            for product in self.product_id
        }
        move_vals = [
            quant.with_context(
                inventory_name=names[quant.product_id]
            )._get_inventory_move_values(
                quant.quantity,
                quant.location_id,
                quant.product_id.with_company(
                    quant.company_id
                ).property_stock_inventory,
                package_id=quant.package_id,
            )
            for quant in self
        ]
        line_vals_lists = [
            [command[2] for command in vals.pop("move_line_ids")] for vals in move_vals
        ]
        moves = self._lot_reassign_create_moves(move_vals)
        self.env["stock.move.line"]._lot_reassign_create_lines(moves, line_vals_lists)
        self._lot_reassign_validate_moves(moves)
        self.location_id.write({"last_inventory_date": fields.Date.today()})

    @api.model
    def _lot_reassign_create_moves(self, move_vals):
        return (
            self.env["stock.move"].with_context(inventory_mode=False).create(move_vals)
        )

    @api.model
    def _lot_reassign_validate_moves(self, moves):
        """Validate the reassignment's inventory moves.

        Their move lines move the quants in a few queries (see
        ``stock.move.line._action_done`` in this module).
        """
        moves.with_context(lot_reassign_move_ids=tuple(moves.ids))._action_done()

    @api.model
    def _lot_reassign_move_quants(self, move_lines):
        """Move the quants of done inventory move lines, all at once.

        What ``_update_available_quantity`` does for each line at its source
        and destination, grouped: one search for the quants involved, one
        write per new quantity, one create for the missing quants. The lines
        reserved nothing (see ``stock.move.line._lot_reassign_create_lines``).
        """
        deltas = self._get_lot_reassign_quant_deltas(move_lines)
        Quant = self.sudo().with_context(inventory_mode=False)
        quants = Quant.search(
            [
                ("product_id", "in", move_lines.product_id.ids),
                (
                    "location_id",
                    "in",
                    (move_lines.location_id | move_lines.location_dest_id).ids,
                ),
                ("lot_id", "in", move_lines.lot_id.ids + [False]),
            ],
            order="id",
        )
        quant_by_key = {}
        for quant in quants:
            quant_by_key.setdefault(
                (
                    quant.product_id.id,
                    quant.location_id.id,
                    quant.lot_id.id,
                    quant.package_id.id,
                    quant.owner_id.id,
                ),
                quant,
            )
        ids_by_quantity = defaultdict(list)
        vals_list = []
        now = fields.Datetime.now()
        for key, delta in deltas.items():
            quant = quant_by_key.get(key)
            if quant:
                ids_by_quantity[quant.quantity + delta].append(quant.id)
                continue
            product, location, lot, package, owner = key
            vals_list.append(
                {
                    "product_id": product,
                    "location_id": location,
                    "lot_id": lot,
                    "package_id": package,
                    "owner_id": owner,
                    "quantity": delta,
                    "in_date": now,
                }
            )
        for quantity, ids in ids_by_quantity.items():
            Quant.browse(ids).write({"quantity": quantity})
        self._lot_reassign_create_quants(vals_list)

    @api.model
    def _get_lot_reassign_quant_deltas(self, move_lines):
        """Quantity, in the product's unit, that the lines add to (or take
        from) each quant they move stock out of or into.

        In the inventory adjustment location, which the stock without lot goes
        to and comes back from, one quant without lot balances both
        adjustments instead of one negative quant per serial number.

        :return: ``{(product, location, lot, package, owner): quantity}``,
            with record ids
        """
        groups = move_lines.sudo()._read_group(
            [("id", "in", move_lines.ids)],
            [
                "product_id",
                "lot_id",
                "owner_id",
                "location_id",
                "package_id",
                "location_dest_id",
                "result_package_id",
            ],
            ["quantity_product_uom:sum"],
        )
        deltas = defaultdict(float)
        for product, lot, owner, *places, quantity in groups:
            source, package, dest, result_package = places
            for location, location_package, sign in (
                (source, package, -1),
                (dest, result_package, 1),
            ):
                key = (
                    product.id,
                    location.id,
                    lot.id if location.usage in LOT_REASSIGN_USAGES else False,
                    location_package.id,
                    owner.id,
                )
                deltas[key] += sign * quantity
        return deltas

    @api.model
    def _lot_reassign_create_quants(self, vals_list):
        """Create the quants of the moved stock, thousands at once.

        ``create()``, which ``_update_available_quantity`` calls for one quant
        at a time, costs most of the time of thousands of serial numbers (see
        ``batch_create``). The counted quantity is left as
        ``_apply_inventory`` leaves it after an adjustment: not set, no
        difference.
        """
        Quant = self.sudo().with_context(
            inventory_mode=False, lot_reassign_create_quants=True
        )
        vals_list = [
            dict(vals, inventory_quantity_set=False, inventory_diff_quantity=0)
            for vals in vals_list
        ]
        return create_in_batch(Quant, vals_list, row_fields=("lot_id", "quantity"))

    @api.constrains("quantity")
    def check_quantity(self):
        """Odoo's check that a serial number is not twice in a location, in
        one query for the thousands of quants a reassignment creates.

        Odoo's check reads the quantities with one condition per quant, which
        takes seconds to build for thousands of serial numbers. Here, one
        search on the products, locations and serial numbers involved finds
        the same offending quants, and Odoo's check raises its own error on
        them.
        """
        if not self.env.context.get("lot_reassign_create_quants"):
            return super().check_quantity()
        groups = self._read_group(
            [
                ("product_id", "in", self.product_id.ids),
                ("product_id.tracking", "=", "serial"),
                ("location_id", "in", self.location_id.ids),
                ("location_id.usage", "!=", "inventory"),
                ("lot_id", "in", self.lot_id.ids),
            ],
            ["product_id", "location_id", "lot_id"],
            ["quantity:sum"],
            # only the places holding more than one unit can fail the check
            having=["|", ("quantity:sum", ">", 1), ("quantity:sum", "<", -1)],
        )
        offending = {
            (product, location, lot)
            for product, location, lot, quantity in groups
            if float_compare(
                abs(quantity), 1, precision_rounding=product.uom_id.rounding
            )
            > 0
        }
        if offending:
            # the domain's products, locations and lots may combine into
            # places that are not these quants'
            quants = self.filtered(
                lambda q: (q.product_id, q.location_id, q.lot_id) in offending
            )
            return super(StockQuant, quants).check_quantity()

    @api.model
    def _unlink_lot_reassign_empty_quants(self, products):
        """Drop the emptied quants without lot/serial of these products.

        Odoo's scheduler would do it later; until then they would still show
        as stock without lot/serial in the quant views.
        """
        empty = (
            self.sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("lot_id", "=", False),
                    ("location_id.usage", "in", LOT_REASSIGN_USAGES),
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
    def _lot_reassign_restore(self, plan):
        """Put the planned quantities back, carried by lots/serials.

        One inventory move per product, location, package and owner, with one
        move line per lot/serial.

        :param dict plan: ``{(product, location, package, owner): [(lot_name, qty)]}``
        :return: the lots used, in the order of the plan
        """
        lots, new_lots = self._lot_reassign_get_lots(plan)
        move_vals, line_vals_lists = [], []
        for key, lines in plan.items():
            vals = self._prepare_lot_reassign_restore_move(key, lines)
            line_vals = vals.pop("move_line_ids")[0][2]
            product, location = key[:2]
            company = self._lot_reassign_company(location)
            move_vals.append(vals)
            line_vals_lists.append(
                [
                    dict(
                        line_vals,
                        lot_id=lots[(product, company, lot_name)].id,
                        quantity=quantity,
                    )
                    for lot_name, quantity in lines
                ]
            )
        moves = self._lot_reassign_create_moves(move_vals)
        self.env["stock.move.line"]._lot_reassign_create_lines(moves, line_vals_lists)
        # the new lots were created with the location their stock is put in
        # (_lot_reassign_get_lots): it is not computed again for each of them
        lot_location = self.env["stock.lot"]._fields["location_id"]
        with self.env.protecting([lot_location], new_lots):
            self._lot_reassign_validate_moves(moves)
        return self.env["stock.lot"].union(*lots.values())

    @api.model
    def _lot_reassign_company(self, location):
        return location.company_id or self.env.company

    @api.model
    def _lot_reassign_get_lots(self, plan):
        """Existing lots of the products are reused, missing ones created at once.

        :return: ``{(product, company, lot_name): stock.lot}``, and the
            lots created
        """
        wanted = {}  # {(product, company, lot_name): locations}
        for (product, location, __, __), lines in plan.items():
            company = self._lot_reassign_company(location)
            for lot_name, __ in lines:
                wanted.setdefault((product, company, lot_name), set()).add(location)
        products = self.env["product.product"].union(*(k[0] for k in wanted))
        existing = self.env["stock.lot"].search(
            [
                ("product_id", "in", products.ids),
                ("name", "in", list({k[2] for k in wanted})),
            ]
        )
        lots = {(lot.product_id, lot.company_id, lot.name): lot for lot in existing}
        missing = [key for key in wanted if key not in lots]
        created = self.env["stock.lot"]._lot_reassign_create(
            [
                {
                    "product_id": product.id,
                    "company_id": company.id,
                    "name": name,
                    # what _compute_single_location will find once the lot is
                    # in stock, so that it does not rewrite every lot
                    "location_id": (
                        next(iter(wanted[product, company, name])).id
                        if len(wanted[product, company, name]) == 1
                        else False
                    ),
                }
                for product, company, name in missing
            ]
        )
        lots.update(zip(missing, created, strict=True))
        return {key: lots[key] for key in wanted}, created

    @api.model
    def _prepare_lot_reassign_restore_move(self, key, lines):
        """The restore move of a place: Odoo's inventory move values, with the
        values of its move lines but their lot and quantity."""
        product, location, package, owner = key
        company = self._lot_reassign_company(location)
        quant = self.new(
            {
                "product_id": product.id,
                "location_id": location.id,
                "package_id": package.id,
                "owner_id": owner.id,
            }
        )
        return quant.with_context(
            inventory_name=self._lot_reassign_move_name(product, "restore")
        )._get_inventory_move_values(
            sum(quantity for __, quantity in lines),
            product.with_company(company).property_stock_inventory,
            location,
            package_dest_id=package,
        )

    # ------------------------------------------------------------------
    # History: what the documentation's first step zeroed by hand
    # ------------------------------------------------------------------

    @api.model
    def _get_lot_reassign_zeroed_stock(self, products):
        """Quantities that inventory adjustments took out without lot/serial.

        For each product, location, package and owner whose last movement
        without lot/serial is an inventory adjustment taking stock out, the
        quantity it took, less what adjustments with lots/serials put back since.

        :return: list of ``(key, quantity, move_line)``
        """
        MoveLine = self.env["stock.move.line"].sudo()
        base = [
            ("product_id", "in", products.ids),
            ("state", "=", "done"),
            ("lot_id", "=", False),
        ]
        last_out = MoveLine._read_group(
            base + [("location_id.usage", "in", LOT_REASSIGN_USAGES)],
            ["product_id", "location_id", "package_id", "owner_id"],
            ["id:max"],
        )
        last_in = MoveLine._read_group(
            base + [("location_dest_id.usage", "in", LOT_REASSIGN_USAGES)],
            ["product_id", "location_dest_id", "result_package_id", "owner_id"],
            ["id:max"],
        )
        last_by_key = {}
        for *key, last_id in last_out + last_in:
            last_by_key[tuple(key)] = max(last_by_key.get(tuple(key), 0), last_id)
        zeroing = MoveLine.browse(last_by_key.values()).filtered(
            lambda ml: (
                ml.move_id.is_inventory
                and ml.location_id.usage in LOT_REASSIGN_USAGES
                and ml.location_dest_id.usage == "inventory"
            )
        )
        restored = self._get_lot_reassign_restored_qty(zeroing)
        result = []
        for ml in zeroing.sorted("id"):
            key = (ml.product_id, ml.location_id, ml.package_id, ml.owner_id)
            quantity = ml.quantity_product_uom - restored.get(ml, 0.0)
            if (
                float_compare(
                    quantity, 0, precision_rounding=ml.product_id.uom_id.rounding
                )
                > 0
            ):
                result.append((key, quantity, ml))
        return result

    @api.model
    def _get_lot_reassign_restored_qty(self, zeroing_lines):
        """Quantity put back with lots/serials at the key of each zeroing line."""
        if not zeroing_lines:
            return {}
        restoring = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("product_id", "in", zeroing_lines.product_id.ids),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("location_dest_id", "in", zeroing_lines.location_id.ids),
                    ("id", ">", min(zeroing_lines.ids)),
                ]
            )
        )
        restored = {}
        for ml in zeroing_lines:
            restored[ml] = sum(
                other.quantity_product_uom
                for other in restoring
                if other.id > ml.id
                and other.move_id.is_inventory
                and other.product_id == ml.product_id
                and other.location_dest_id == ml.location_id
                and other.result_package_id == ml.package_id
                and other.owner_id == ml.owner_id
            )
        return restored
