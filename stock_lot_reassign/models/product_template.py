# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

LOT_REASSIGN_TRACKINGS = ("lot", "serial")


class ProductTemplate(models.Model):
    _inherit = "product.template"

    lot_reassign_qty = fields.Float(
        string="Units without Lot/Serial",
        compute="_compute_lot_reassign_qty",
        digits="Product Unit of Measure",
        groups="stock.group_stock_manager",
        help="On-hand quantity of this product, in the internal and transit "
        "locations of every company, that carries no lot/serial number.",
    )

    def _compute_lot_reassign_qty(self):
        qty_by_variant = self.env["stock.quant"]._get_lot_reassign_qty_by_product(
            self._origin._lot_reassign_variants()
        )
        for template in self:
            template.lot_reassign_qty = sum(
                qty_by_variant.get(variant.id, 0.0)
                for variant in template._origin._lot_reassign_variants()
            )

    def action_open_lot_reassign(self):
        """Open the reassignment wizard on these products."""
        self._check_lot_reassign_access()
        return self.env["stock.lot.reassign"]._get_open_action(self)

    def reassign_lots(self, tracking, assignments):
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
        :return: ids of the ``stock.lot`` records used or created
        :rtype: list
        """
        quants, plan, company_ids = self._check_lot_reassign_plan(tracking, assignments)
        templates = self.with_context(allowed_company_ids=company_ids)
        with templates.env.cr.savepoint():
            quants.with_env(templates.env)._lot_reassign_remove()
            templates._check_lot_reassign_no_untracked_stock()
            templates.filtered(lambda t: t.tracking != tracking).write(
                {"tracking": tracking}
            )
            lots = templates.env["stock.quant"]._lot_reassign_restore(plan)
            templates.env["stock.quant"]._unlink_lot_reassign_empty_quants(
                templates._lot_reassign_variants()
            )
        return lots.ids

    def _check_lot_reassign_plan(self, tracking, assignments):
        """Refuse a reassignment that cannot run; nothing is changed.

        :return: the quants without lot/serial (sudo), the plan (see
            ``_prepare_lot_reassign_plan``) and the ids of the companies involved
        """
        self._check_lot_reassign_access()
        self._check_lot_reassign_tracking(tracking)
        self._check_lot_reassign_products()
        quants = (
            self.env["stock.quant"]
            .sudo()
            ._search_lot_reassign_quants(self._lot_reassign_variants())
        )
        plan = self._prepare_lot_reassign_plan(tracking, assignments or [], quants)
        return quants, plan, self._get_lot_reassign_company_ids(quants, plan)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _check_lot_reassign_access(self):
        if not (self.env.su or self.env.user.has_group("stock.group_stock_manager")):
            raise AccessError(
                _("Only Inventory administrators can reassign lots/serial numbers.")
            )

    @api.model
    def _check_lot_reassign_tracking(self, tracking):
        if tracking not in LOT_REASSIGN_TRACKINGS:
            raise UserError(
                _(
                    "Choose the tracking to switch to: 'lot' (By Lots) or "
                    "'serial' (By Unique Serial Number), not %(tracking)r.",
                    tracking=tracking,
                )
            )

    def _check_lot_reassign_products(self):
        if not self:
            raise UserError(_("Select at least one product to reassign."))
        not_storable = self.filtered(lambda t: t.type != "product")
        if not_storable:
            raise UserError(
                _(
                    "Only storable products carry stock and lot/serial numbers. "
                    "These products are consumables or services: %(products)s",
                    products=", ".join(not_storable.mapped("display_name")),
                )
            )

    def _check_lot_reassign_no_untracked_stock(self):
        left = self.env["stock.quant"]._get_lot_reassign_qty_by_product(
            self._lot_reassign_variants()
        )
        if any(left.values()):
            # The removal adjustment did not empty every location: never switch
            # tracking over stock that would be left without lot/serial.
            raise UserError(
                _(
                    "Stock without lot/serial number is still on hand after the "
                    "inventory adjustment; nothing was changed."
                )
            )

    def _get_lot_reassign_company_ids(self, quants, plan):
        companies = quants.company_id | self.env["res.company"].union(
            *(key[1].company_id for key in plan)
        )
        if not self.env.su:
            forbidden = companies - self.env.user.company_ids
            if forbidden:
                raise UserError(
                    _(
                        "These products have stock without lot/serial number in "
                        "companies you cannot access: %(companies)s. Ask an "
                        "administrator of those companies to run the reassignment.",
                        companies=", ".join(forbidden.mapped("name")),
                    )
                )
        return (self.env.company | companies).ids

    # ------------------------------------------------------------------
    # Plan: what goes where, checked before anything changes
    # ------------------------------------------------------------------

    def _lot_reassign_variants(self):
        return self.with_context(active_test=False).product_variant_ids

    def _prepare_lot_reassign_plan(self, tracking, assignments, quants):
        """Check the assignments against the stock and group them.

        :return: ``{(product, location, package, owner): [(lot_name, quantity)]}``
        """
        quants._check_lot_reassign_reservations()
        quants._check_lot_reassign_quantities(tracking)
        if not all(isinstance(vals, dict) for vals in assignments):
            raise UserError(
                _("Each assignment must be a dictionary (see reassign_lots).")
            )
        variants = {variant.id: variant for variant in self._lot_reassign_variants()}
        locations = self._get_lot_reassign_locations(assignments)
        keys = {}  # the same place for thousands of serial numbers
        plan = defaultdict(list)
        for vals in assignments:
            key, lot_name, quantity = self._parse_lot_reassign_assignment(
                vals, variants, locations, keys
            )
            plan[key].append((lot_name, quantity))
        self._check_lot_reassign_plan_covers_stock(plan, quants)
        self._check_lot_reassign_restore(plan, quants)
        if tracking == "serial":
            self._check_lot_reassign_serials(plan)
        if not plan:
            raise UserError(
                _(
                    "There is no stock without lot/serial number to reassign, "
                    "and no quantity to restore was given."
                )
            )
        return dict(plan)

    def _get_lot_reassign_locations(self, assignments):
        """The internal and transit locations the assignments name, by id."""
        ids = [vals.get("location_id") for vals in assignments]
        locations = self.env["stock.location"].browse(
            {id_ for id_ in ids if isinstance(id_, int)}
        )
        return {
            location.id: location
            for location in locations.exists()
            if location.usage in ("internal", "transit")
        }

    def _parse_lot_reassign_assignment(self, vals, variants, locations, keys):
        Quant = self.env["stock.quant"]
        # repr(): the values come from the caller, not always hashable
        key_ids = repr(
            [
                vals.get(name)
                for name in ("product_id", "location_id", "package_id", "owner_id")
            ]
        )
        if key_ids not in keys:
            keys[key_ids] = self._get_lot_reassign_key(vals, variants, locations)
        key = keys[key_ids]
        product = key[0]
        lot_name = (vals.get("lot_name") or "").strip()
        if not lot_name:
            raise UserError(
                _(
                    "%(line)s: a lot/serial number name is empty.",
                    line=Quant._lot_reassign_key_label(key),
                )
            )
        quantity = vals.get("quantity")
        if (
            not isinstance(quantity, (int, float))
            or float_compare(quantity, 0, precision_rounding=product.uom_id.rounding)
            <= 0
        ):
            raise UserError(
                _(
                    "%(line)s, %(lot)s: the quantity must be a positive number, "
                    "not %(quantity)r.",
                    line=Quant._lot_reassign_key_label(key),
                    lot=lot_name,
                    quantity=quantity,
                )
            )
        return key, lot_name, float(quantity)

    def _get_lot_reassign_key(self, vals, variants, locations):
        """(product, location, package, owner) of an assignment."""
        product = variants.get(vals.get("product_id"))
        location = locations.get(vals.get("location_id"))
        if not product or not location:
            raise UserError(
                _(
                    "Assignment %(assignment)s: give a variant of the products "
                    "being reassigned and an internal or transit location.",
                    assignment=vals,
                )
            )
        package = self.env["stock.quant.package"].browse(vals.get("package_id") or [])
        owner = self.env["res.partner"].browse(vals.get("owner_id") or [])
        return (product, location, package, owner)

    def _check_lot_reassign_plan_covers_stock(self, plan, quants):
        Quant = self.env["stock.quant"]
        expected = defaultdict(float)
        for quant in quants:
            expected[quant._get_lot_reassign_key()] += quant.quantity
        templates_with_stock = quants.product_id.product_tmpl_id
        errors = []
        for key in plan:
            if key not in expected and key[0].product_tmpl_id in templates_with_stock:
                errors.append(
                    _(
                        "%(line)s: there is no stock without lot/serial number here.",
                        line=Quant._lot_reassign_key_label(key),
                    )
                )
        for key, quantity in expected.items():
            assigned = sum(qty for __, qty in plan.get(key, []))
            diff = quantity - assigned
            if not float_is_zero(diff, precision_rounding=key[0].uom_id.rounding):
                errors.append(
                    _(
                        "%(line)s: %(quantity)s %(uom)s to reassign, %(assigned)s "
                        "assigned (%(diff)s %(what)s).",
                        line=Quant._lot_reassign_key_label(key),
                        quantity=quantity,
                        assigned=assigned,
                        uom=key[0].uom_id.name,
                        diff=abs(diff),
                        what=_("missing") if diff > 0 else _("too many"),
                    )
                )
        Quant._raise_lot_reassign_errors(
            _("The assigned quantities do not match the stock:"), errors
        )

    def _check_lot_reassign_restore(self, plan, quants):
        """Restore no more than the History shows was set to zero, and where."""
        with_stock = quants.product_id.product_tmpl_id
        keys = [key for key in plan if key[0].product_tmpl_id not in with_stock]
        if not keys:
            return
        Quant = self.env["stock.quant"]
        zeroed = {
            key: quantity
            for key, quantity, __ in Quant._get_lot_reassign_zeroed_stock(
                self.env["product.product"].union(*(key[0] for key in keys))
            )
        }
        errors = []
        for key in keys:
            assigned = sum(quantity for __, quantity in plan[key])
            available = zeroed.get(key, 0.0)
            if (
                float_compare(
                    assigned, available, precision_rounding=key[0].uom_id.rounding
                )
                > 0
            ):
                errors.append(
                    _(
                        "%(line)s: %(assigned)s %(uom)s to restore, but the History "
                        "shows %(zeroed)s %(uom)s without lot/serial set to zero "
                        "here.",
                        line=Quant._lot_reassign_key_label(key),
                        assigned=assigned,
                        zeroed=available,
                        uom=key[0].uom_id.name,
                    )
                )
        Quant._raise_lot_reassign_errors(
            _("Only stock that an inventory adjustment removed can be restored:"),
            errors,
        )

    def _check_lot_reassign_serials(self, plan):
        Quant = self.env["stock.quant"]
        errors = []
        seen = set()
        for key, lines in plan.items():
            product = key[0]
            # quantities repeat (1 for each serial number): compared once each
            not_one = {
                quantity
                for quantity in {quantity for __, quantity in lines}
                if float_compare(
                    quantity, 1, precision_rounding=product.uom_id.rounding
                )
            }
            for lot_name, quantity in lines:
                if quantity in not_one:
                    errors.append(
                        _(
                            "%(line)s: serial number %(serial)s has quantity "
                            "%(quantity)s; a serial number is a single unit.",
                            line=Quant._lot_reassign_key_label(key),
                            serial=lot_name,
                            quantity=quantity,
                        )
                    )
                if (product.id, lot_name) in seen:
                    errors.append(
                        _(
                            "%(product)s: serial number %(serial)s is given twice.",
                            product=product.display_name,
                            serial=lot_name,
                        )
                    )
                seen.add((product.id, lot_name))
        errors += self._get_lot_reassign_serials_in_stock(seen)
        Quant._raise_lot_reassign_errors(_("Serial numbers must be unique:"), errors)

    def _get_lot_reassign_serials_in_stock(self, product_serials):
        names = {name for __, name in product_serials}
        if not names:
            return []
        in_stock = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", self._lot_reassign_variants().ids),
                    ("lot_id.name", "in", list(names)),
                    ("location_id.usage", "in", ("internal", "transit")),
                    ("quantity", ">", 0),
                ],
                ["product_id", "lot_id"],
            )
        )
        return [
            _(
                "%(product)s: serial number %(serial)s is already in stock.",
                product=product.display_name,
                serial=lot.name,
            )
            for product, lot in in_stock
            if (product.id, lot.name) in product_serials
        ]
