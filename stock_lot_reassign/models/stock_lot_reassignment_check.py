# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

from .stock_lot_reassignment_procedure import STOCK_USAGES, Source


class StockLotReassignmentCheck(models.AbstractModel):
    """Why a reassignment cannot run: each ``_check_*`` raises, in the user's
    language, or returns nothing; none changes anything."""

    _name = "stock.lot.reassignment.check"
    _description = "Lot/Serial Reassignment: Checks"

    @api.model
    def _check_access(self):
        if not (self.env.su or self.env.user.has_group("stock.group_stock_manager")):
            raise AccessError(
                _("Only Inventory administrators can reassign lots/serial numbers.")
            )

    @api.model
    def _check_products(self, templates):
        if not templates:
            raise UserError(_("Select at least one product to reassign."))
        not_storable = templates.filtered(lambda t: t.type != "product")
        if not_storable:
            raise UserError(
                _(
                    "Only storable products carry stock and lot/serial numbers. "
                    "These products are consumables or services: %(products)s",
                    products=", ".join(not_storable.mapped("display_name")),
                )
            )

    @api.model
    def _check_companies(self, companies):
        if self.env.su:
            return
        outside = companies - self.env.companies
        if not outside:
            return
        unselected = outside & self.env.user.company_ids
        if unselected:
            raise UserError(
                _(
                    "These products also have stock without lot/serial number in "
                    "%(companies)s: select those companies too (company switcher) "
                    "and start again; the reassignment covers all of them at once.",
                    companies=", ".join(unselected.mapped("name")),
                )
            )
        raise UserError(
            _(
                "These products also have stock without lot/serial number in "
                "companies you cannot access; the reassignment covers all of them "
                "at once. Ask an administrator of those companies to run it."
            )
        )

    @api.model
    def _check_reservations(self, quants, chains, unreserve=False):
        """Reserved stock is refused, naming its transfers, unless they are
        to be unreserved and reserved again (``unreserve``): then every
        reservation must be a transfer's, none of them started. So is stock
        that the next step of a route waits for, reserved or not: Odoo will
        never reserve that step on the new lots/serials by itself
        (``chains``: of ``_get_chained_moves``)."""
        reserved = quants.filtered(
            lambda q: (
                float_compare(
                    q.reserved_quantity, 0, precision_rounding=q.product_uom_id.rounding
                )
                > 0
            )
        )
        Reservation = self.env["stock.lot.reassignment.reservation"]
        lines = Reservation._get_reserving_lines(reserved)
        waiting = self.env["stock.move"].union(*chains) - lines.move_id
        if not unreserve and waiting:
            raise UserError(
                _(
                    "These next steps of a route wait for stock their previous "
                    "step brought without lot/serial number: %(transfers)s. Odoo "
                    "cannot reserve them on the new lots/serials by itself: let the "
                    "reassignment reserve them (the option of the Review step, "
                    "unreserve=True in the API).",
                    transfers=", ".join(
                        sorted({Reservation._get_document_name(m) for m in waiting})
                    ),
                )
            )
        if unreserve:
            self._check_transfers_not_started(waiting)
        if not reserved:
            return
        holders = sorted(
            {Reservation._get_document_name(move) for move in lines.move_id}
        )
        if not unreserve:
            raise UserError(
                _(
                    "%(quantity)s units of %(products)s are reserved without "
                    "lot/serial number by these transfers: %(transfers)s. Let the "
                    "reassignment unreserve them and reserve them again (the "
                    "option of the Review step, unreserve=True in the API), or "
                    "unreserve them (or validate them) first.",
                    quantity=sum(reserved.mapped("reserved_quantity")),
                    products=", ".join(reserved.product_id.mapped("display_name")),
                    transfers=", ".join(holders) or _("unknown"),
                )
            )
        self._check_transfers_not_started(lines.move_id)
        self._check_reservations_held_by(reserved, lines)

    @api.model
    def _check_transfers_not_started(self, moves):
        started = self.env["stock.lot.reassignment.reservation"]._get_started(moves)
        if started:
            Reservation = self.env["stock.lot.reassignment.reservation"]
            raise UserError(
                _(
                    "These transfers were started (lines marked picked or put in "
                    "a package): %(transfers)s. Their work is not undone: finish "
                    "or unreserve them by hand, then reassign.",
                    transfers=", ".join(
                        sorted({Reservation._get_document_name(m) for m in started})
                    ),
                )
            )

    @api.model
    def _check_reservations_held_by(self, quants, lines):
        """Every unit these quants reserve is reserved by ``lines`` (else
        unreserving the transfers would not free it)."""
        key_of = self.env["stock.lot.reassignment.reservation"]._get_reserved_key
        by_quant = {key_of(quant): quant for quant in quants}
        held = dict.fromkeys(by_quant, 0.0)
        for ml in lines:
            key = key_of(ml)
            if key in held:
                held[key] += ml.quantity_product_uom
        Procedure = self.env["stock.lot.reassignment.procedure"]
        errors = []
        for key, quant in by_quant.items():
            rounding = quant.product_uom_id.rounding
            if (
                float_compare(
                    held[key], quant.reserved_quantity, precision_rounding=rounding
                )
                < 0
            ):
                errors.append(
                    _(
                        "%(line)s: %(reserved)s reserved, %(held)s of it by transfers.",
                        line=Procedure._get_place_label(Procedure._get_place(quant)),
                        reserved=quant.reserved_quantity,
                        held=held[key],
                    )
                )
        self._raise_errors(
            _(
                "Some reservations belong to no open transfer, so unreserving "
                "the transfers would not free them; nothing was changed:"
            ),
            errors,
        )

    @api.model
    def _check_quantities(self, quants, tracking):
        Procedure = self.env["stock.lot.reassignment.procedure"]
        errors = []
        for quant in quants:
            rounding = quant.product_uom_id.rounding
            label = Procedure._get_place_label(Procedure._get_place(quant))
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
        self._raise_errors(_("This stock cannot be reassigned as it is:"), errors)

    @api.model
    def _check_plan_covers_stock(self, plan, quants):
        """Every (place, lot) named has that stock, assigned exactly; the
        stock without lot/serial always is."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        expected = Procedure._get_qty_by_source(quants)
        templates_with_stock = self._get_untracked_templates(quants)
        errors = [
            self._get_no_stock_error(source)
            for source in plan
            if source not in expected
            and (
                source.lot
                or source.place.product.product_tmpl_id in templates_with_stock
            )
        ]
        for source, quantity in expected.items():
            assigned = sum(qty for __, qty in plan.get(source, []))
            diff = quantity - assigned
            uom = source.place.product.uom_id
            if not float_is_zero(diff, precision_rounding=uom.rounding):
                errors.append(
                    _(
                        "%(line)s: %(quantity)s %(uom)s to reassign, %(assigned)s "
                        "assigned (%(diff)s %(what)s).",
                        line=Procedure._get_source_label(source),
                        quantity=quantity,
                        assigned=assigned,
                        uom=uom.name,
                        diff=abs(diff),
                        what=_("missing") if diff > 0 else _("too many"),
                    )
                )
        self._raise_errors(_("The assigned quantities do not match the stock:"), errors)

    @api.model
    def _get_untracked_templates(self, quants):
        """The products some of these quants hold without lot/serial."""
        return quants.filtered(lambda q: not q.lot_id).product_id.product_tmpl_id

    @api.model
    def _get_no_stock_error(self, source):
        Procedure = self.env["stock.lot.reassignment.procedure"]
        if source.lot:
            return _(
                "%(line)s: lot/serial number %(lot)s has no stock here.",
                line=Procedure._get_place_label(source.place),
                lot=source.lot.name,
            )
        return _(
            "%(line)s: there is no stock without lot/serial number here.",
            line=Procedure._get_place_label(source.place),
        )

    @api.model
    def _check_lots_left(self, lot_quants, tracking, plan):
        """The lots the plan leaves as they are (``lot_quants``: every quant
        with a lot of the products) fit the new tracking: a serial number is
        a single unit; without tracking no stock keeps a lot/serial number."""
        if tracking == "lot":
            return
        Procedure = self.env["stock.lot.reassignment.procedure"]
        left = Procedure._get_lot_quantities(
            lot_quants.filtered(lambda q: Procedure._get_source(q) not in plan)
        )
        errors = []
        for lot, quantity in left.items():
            uom = lot.product_id.uom_id
            if tracking == "serial" and not float_compare(
                quantity, 1, precision_rounding=uom.rounding
            ):
                continue
            values = {
                "product": lot.product_id.display_name,
                "lot": lot.name,
                "quantity": quantity,
                "uom": uom.name,
            }
            errors.append(
                _(
                    "%(product)s: %(lot)s holds %(quantity)s %(uom)s; without "
                    "tracking, every lot/serial number must be put back without "
                    "one (an assignment with its from_lot_id at each of its "
                    "places).",
                    **values,
                )
                if tracking == "none"
                else _(
                    "%(product)s: %(lot)s holds %(quantity)s %(uom)s; a serial "
                    "number is a single unit: split it into serial numbers (an "
                    "assignment with its from_lot_id at each of its places).",
                    **values,
                )
            )
        if tracking == "none":
            title = _(
                "These lots/serial numbers would be left on stock without tracking:"
            )
        else:
            title = _(
                "These lots would be left as serial numbers of more than one unit:"
            )
        self._raise_errors(title, errors)

    @api.model
    def _check_restore_within_history(self, plan, quants):
        """Restore no more than the History shows was set to zero, and where."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        with_stock = self._get_untracked_templates(quants)
        places = [
            source.place
            for source in plan
            if not source.lot and source.place.product.product_tmpl_id not in with_stock
        ]
        if not places:
            return
        zeroed = {
            place: quantity
            for place, quantity, __ in self.env[
                "stock.lot.reassignment.history"
            ]._get_zeroed_stock(
                self.env["product.product"].union(*(place.product for place in places))
            )
        }
        errors = []
        for place in places:
            untracked = Source(place, self.env["stock.lot"])
            assigned = sum(quantity for __, quantity in plan[untracked])
            available = zeroed.get(place, 0.0)
            rounding = place.product.uom_id.rounding
            if float_compare(assigned, available, precision_rounding=rounding) > 0:
                errors.append(
                    _(
                        "%(line)s: %(assigned)s %(uom)s to restore, but the History "
                        "shows %(zeroed)s %(uom)s without lot/serial set to zero "
                        "here.",
                        line=Procedure._get_place_label(place),
                        assigned=assigned,
                        zeroed=available,
                        uom=place.product.uom_id.name,
                    )
                )
        self._raise_errors(
            _("Only stock that an inventory adjustment removed can be restored:"),
            errors,
        )

    @api.model
    def _check_serials(self, templates, plan, quants):
        """``quants``: the quants the run removes, whose serial numbers may
        be given again."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        errors = []
        seen = set()
        for source, lines in plan.items():
            product = source.place.product
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
                            line=Procedure._get_source_label(source),
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
        errors += self._get_serials_in_stock_errors(templates, seen, quants)
        self._raise_errors(_("Serial numbers must be unique:"), errors)

    @api.model
    def _get_serials_in_stock_errors(self, templates, product_serials, removed):
        Procedure = self.env["stock.lot.reassignment.procedure"]
        names = {name for __, name in product_serials}
        if not names:
            return []
        in_stock = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", Procedure._get_variants(templates).ids),
                    ("lot_id.name", "in", list(names)),
                    ("location_id.usage", "in", STOCK_USAGES),
                    ("quantity", ">", 0),
                    ("id", "not in", removed.ids),
                ],
                ["product_id", "lot_id"],
            )
        )
        errors = []
        for product, lot in in_stock:
            if (product.id, lot.name) in product_serials:
                errors.append(
                    _(
                        "%(product)s: serial number %(serial)s is already in stock.",
                        product=product.display_name,
                        serial=lot.name,
                    )
                )
        return errors

    @api.model
    def _check_tracking_removal_changes_something(self, templates, tracking, plan):
        """Without tracking, stock that has no lot/serial comes back as it
        was: for products not tracked already, that is no change at all."""
        if (
            tracking == "none"
            and all(template.tracking == "none" for template in templates)
            and not any(source.lot for source in plan)
        ):
            raise UserError(
                _(
                    "%(products)s are not tracked and the stock given has no "
                    "lot/serial number: removing the tracking would change nothing.",
                    products=", ".join(templates.mapped("display_name")),
                )
            )

    @api.model
    def _check_plan_not_empty(self, plan):
        if not plan:
            raise UserError(
                _(
                    "There is no stock without lot/serial number to reassign, "
                    "and no quantity to restore was given."
                )
            )

    @api.model
    def _check_no_stock_left(self, templates, quants):
        """After the removal: no stock without lot/serial, and none in the
        quants of the lots removed."""
        Procedure = self.env["stock.lot.reassignment.procedure"]
        left = Procedure._get_untracked_qty_by_product(
            Procedure._get_variants(templates)
        )
        quants.invalidate_recordset(["quantity"])
        lots_left = quants.exists().filtered(
            lambda q: (
                q.lot_id
                and not float_is_zero(
                    q.quantity, precision_rounding=q.product_uom_id.rounding
                )
            )
        )
        if any(left.values()) or lots_left:
            # never switch tracking over stock left as it was
            raise UserError(
                _(
                    "Stock being reassigned is still on hand after the inventory "
                    "adjustment; nothing was changed."
                )
            )

    @api.model
    def _raise_errors(self, title, errors, limit=20):
        if not errors:
            return
        lines = errors[:limit]
        if len(errors) > limit:
            lines.append(_("... and %(count)s more.", count=len(errors) - limit))
        raise UserError("\n".join([title] + [f"- {line}" for line in lines]))

    @api.model
    def _check_expiration_dates(self, assignments):
        """One date per lot; a lot that exists keeps its own date."""
        given = self.env["stock.lot.reassignment.input"]._group_expiration_dates(
            assignments
        )
        if not given:
            return
        errors = []
        for (__, name), dates in given.items():
            if len(dates) > 1:
                errors.append(
                    _(
                        "%(lot)s: %(count)s different expiration dates given",
                        lot=name,
                        count=len(dates),
                    )
                )
        existing = self.env["stock.lot"].search(
            [
                ("product_id", "in", list({key[0] for key in given})),
                ("name", "in", list({key[1] for key in given})),
            ]
        )
        for lot in existing:
            dates = given.get((lot.product_id.id, lot.name), set())
            if lot.expiration_date and dates and dates != {lot.expiration_date}:
                errors.append(
                    _(
                        "%(lot)s of %(product)s exists and expires on %(date)s; it "
                        "keeps its date (give the same date, or none)",
                        lot=lot.name,
                        product=lot.product_id.display_name,
                        date=fields.Datetime.to_string(lot.expiration_date),
                    )
                )
        self._raise_errors(_("These expiration dates cannot be used:"), errors)

    @api.model
    def _check_stock_unchanged_since_snapshot(self, products):
        """Refuse when the committed stock of these products differs from what
        this transaction sees (stock moved since it began)."""
        query = (
            "SELECT q.id, q.quantity FROM stock_quant q "
            "JOIN stock_location l ON l.id = q.location_id "
            "WHERE q.product_id = ANY(%s) AND l.usage IN %s ORDER BY q.id"
        )
        params = [products.ids, STOCK_USAGES]
        with self.env.registry.cursor() as committed_cr:
            committed_cr.execute(query, params)
            committed = committed_cr.fetchall()
        self.env.flush_all()
        self.env.cr.execute(query, params)
        seen = dict(self.env.cr.fetchall())
        changed = [
            quant_id
            for quant_id, quantity in committed
            if quant_id not in seen or seen[quant_id] != quantity
        ]
        if changed:
            quants = self.env["stock.quant"].sudo().browse(changed)
            raise UserError(
                _(
                    "The stock of %(products)s changed while the reassignment was "
                    "being prepared (another operation was validated at the same "
                    "time); nothing was changed. Open the reassignment again to "
                    "see the quantities now on hand.",
                    products=", ".join(
                        sorted(set(quants.exists().product_id.mapped("display_name")))
                        or products.mapped("display_name")
                    ),
                )
            )
