# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import math
import unicodedata
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_round

from .stock_quant_sync import validating_own_moves

TRACKINGS = ("lot", "serial")
TRACKING_SELECTION = [("lot", "By Lots"), ("serial", "By Unique Serial Number")]
STOCK_USAGES = ("internal", "transit")

# What reassign_lots accepts (README, API); anything else is refused.
ASSIGNMENT_ID_FIELDS = ("product_id", "location_id")
ASSIGNMENT_OPTIONAL_ID_FIELDS = ("package_id", "owner_id")
ASSIGNMENT_FIELDS = (
    ASSIGNMENT_ID_FIELDS + ASSIGNMENT_OPTIONAL_ID_FIELDS + ("lot_name", "quantity")
)
MAX_ASSIGNMENTS = 200000
MAX_LOT_NAME_LENGTH = 1000
MAX_QUANTITY = 1e12  # beyond it a float has no digits left for the UoM rounding
MAX_QUANTITY_TEXT = f"{MAX_QUANTITY:g}"
MAX_ID = 2**31 - 1  # PostgreSQL's integer


class StockLotReassignProcedure(models.AbstractModel):
    """Odoo's documented procedure to give lots/serials to untracked stock.

    1. An inventory adjustment sets every quant without lot/serial to zero
       (``stock.quant._apply_inventory``).
    2. The products switch to tracking by lots or by serial numbers.
    3. A second inventory adjustment puts the same quantities back, in the
       same location, package and owner, carried by lots/serials.

    A *place* is ``(product, location, package, owner)``; a *plan* maps each
    place to the ``[(lot_name, quantity)]`` restored there.
    """

    _name = "stock.lot.reassign.procedure"
    _description = "Lot/Serial Reassignment Procedure"

    # ------------------------------------------------------------------
    # The procedure
    # ------------------------------------------------------------------

    @api.model
    def _run(self, templates, tracking, assignments, reassignment=None, complete=True):
        """Check, then run the three steps in one savepoint, and record them
        on ``reassignment`` (a new one when not given); ``complete``: the
        last (or only) part of the reassignment, which marks it done.

        :return: the lots used, in the order of the plan, and the
            ``stock.lot.reassignment`` record
        """
        self._lock_products(self._get_variants(templates))
        quants, plan = self._prepare(templates, tracking, assignments)
        companies = self._get_companies(quants, plan)
        dates = self._get_expiration_dates(assignments)
        company_ids = (self.env.company | companies).ids
        procedure = self.with_context(
            allowed_company_ids=company_ids,
            lot_reassign_expiration_dates=tuple(sorted(dates.items())),
        )
        templates = templates.with_context(allowed_company_ids=company_ids)
        with self.env.cr.savepoint():
            reassignment = procedure._start_record(
                reassignment, templates, tracking, assignments
            )
            procedure = procedure.with_context(lot_reassignment_ref=reassignment.name)
            removed = procedure._get_qty_by_place(quants)
            last_move = procedure._get_last_move()
            procedure._remove_untracked_stock(quants.with_env(procedure.env))
            procedure._check_no_untracked_stock_left(templates)
            templates.filtered(lambda t: t.tracking != tracking).write(
                {"tracking": tracking}
            )
            lots, created, restore_moves = procedure._restore_with_lots(plan)
            procedure._unlink_empty_untracked_quants(self._get_variants(templates))
            procedure._finish_record(
                reassignment,
                removed,
                plan,
                procedure._get_removal_moves(templates, last_move),
                restore_moves,
                created,
                lots - created,
                complete,
            )
        return lots, reassignment

    @api.model
    def _prepare(self, templates, tracking, assignments):
        """Refuse a reassignment that cannot run; nothing is changed.

        :return: the quants without lot/serial (sudo) and the plan
        """
        self._check_access()
        self._check_tracking(tracking)
        self._check_assignments_input(assignments)
        self._check_products(templates)
        quants = self._search_untracked_quants(self._get_variants(templates))
        # before any message names a place of a company the user cannot see
        self._check_companies(quants.company_id)
        self._check_reservations(quants)
        self._check_quantities(quants, tracking)
        plan = self._prepare_plan(templates, assignments or [])
        self._check_companies(self._get_companies(quants, plan))
        self._check_plan_covers_stock(plan, quants)
        self._check_restore_within_history(plan, quants)
        if tracking == "serial":
            self._check_serials(templates, plan)
        self._check_plan_not_empty(plan)
        self._check_expiration_dates(assignments)
        return quants, plan

    # ------------------------------------------------------------------
    # Concurrency: a reassignment and every other change of its products'
    # quants exclude each other (stock.lot.reassign.lock)
    # ------------------------------------------------------------------

    @api.model
    def _lock_products(self, products):
        """Hold these products until the transaction ends (every change of
        their quants elsewhere waits), then refuse stock moved by a
        transaction that committed after this one's snapshot.

        Odoo moves stock with ``SKIP LOCKED``: without the lock, a delivery
        validated meanwhile skips the quants the reassignment holds and makes a
        new quant without lot/serial, which the reassignment never sees.
        """
        self.env["stock.lot.reassign.lock"]._acquire_exclusive(products)
        self._check_stock_unchanged_since_snapshot(products)

    @api.model
    def _check_stock_unchanged_since_snapshot(self, products):
        """Refuse when the committed stock of these products differs from what
        this transaction sees (stock moved since it began)."""
        query = (
            "SELECT q.id, q.quantity FROM stock_quant q "
            "JOIN stock_location l ON l.id = q.location_id "
            "WHERE q.product_id = ANY(%s) AND q.lot_id IS NULL "
            "AND l.usage IN %s ORDER BY q.id"
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

    # ------------------------------------------------------------------
    # Stock without lot/serial
    # ------------------------------------------------------------------

    @api.model
    def _get_variants(self, templates):
        return templates.with_context(active_test=False).product_variant_ids

    @api.model
    def _get_untracked_domain(self, products):
        return [
            ("product_id", "in", products.ids),
            ("lot_id", "=", False),
            ("location_id.usage", "in", STOCK_USAGES),
            ("quantity", "!=", 0),
        ]

    @api.model
    def _search_untracked_quants(self, products):
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                self._get_untracked_domain(products),
                order="product_id, location_id, package_id, owner_id, id",
            )
        )
        return quants.filtered(
            lambda q: (
                not float_is_zero(
                    q.quantity, precision_rounding=q.product_uom_id.rounding
                )
            )
        )

    @api.model
    def _get_untracked_qty_by_product(self, products, companies=None):
        """On-hand quantity without lot/serial of each product: in
        ``companies`` when given, else in every company."""
        if not products:
            return {}
        domain = self._get_untracked_domain(products)
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(domain, ["product_id"], ["quantity:sum"])
        )
        return {
            product.id: float_round(
                quantity, precision_rounding=product.uom_id.rounding
            )
            for product, quantity in groups
        }

    @api.model
    def _is_in_user_companies(self, company):
        """In a company the user may access and has selected (no company:
        shared)."""
        return self.env.su or not company or company in self.env.companies

    @api.model
    def _get_place(self, quant):
        return (quant.product_id, quant.location_id, quant.package_id, quant.owner_id)

    @api.model
    def _get_company(self, location):
        return location.company_id or self.env.company

    @api.model
    def _get_companies(self, quants, plan):
        return quants.company_id | self.env["res.company"].union(
            *(place[1].company_id for place in plan)
        )

    # ------------------------------------------------------------------
    # Checks: each raises, none changes anything
    # ------------------------------------------------------------------

    @api.model
    def _check_access(self):
        if not (self.env.su or self.env.user.has_group("stock.group_stock_manager")):
            raise AccessError(
                _("Only Inventory administrators can reassign lots/serial numbers.")
            )

    @api.model
    def _check_tracking(self, tracking):
        if tracking not in TRACKINGS:
            raise UserError(
                _(
                    "Choose the tracking to switch to: 'lot' (By Lots) or "
                    "'serial' (By Unique Serial Number), not %(tracking)r.",
                    tracking=tracking,
                )
            )

    @api.model
    def _check_assignments_input(self, assignments):
        """The types and bounds of what a caller gave (over RPC: anything),
        each refusal naming the assignment and its field."""
        if not isinstance(assignments, (list, tuple)):
            raise ValidationError(
                _(
                    "The assignments must be a list of dictionaries, not %(value)s.",
                    value=self._shorten(assignments),
                )
            )
        if len(assignments) > MAX_ASSIGNMENTS:
            raise ValidationError(
                _(
                    "%(count)s assignments are more than one reassignment takes "
                    "(%(max)s); split the products over several reassignments.",
                    count=len(assignments),
                    max=MAX_ASSIGNMENTS,
                )
            )
        for index, vals in enumerate(assignments):
            error = self._get_assignment_input_error(vals)
            if error:
                raise ValidationError(
                    _(
                        "Assignment %(index)s (counted from 0): %(error)s",
                        index=index,
                        error=error,
                    )
                )

    @api.model
    def _get_assignment_input_error(self, vals):
        if not isinstance(vals, dict):
            return _(
                "a dictionary is expected, not %(value)s.", value=self._shorten(vals)
            )
        fields_ = self._get_assignment_fields()
        unknown = sorted(str(key) for key in vals if key not in fields_)
        if unknown:
            return _(
                "unknown field %(field)s (the fields are %(fields)s).",
                field=self._shorten(unknown[0]),
                fields=", ".join(fields_),
            )
        for field in ASSIGNMENT_ID_FIELDS + ASSIGNMENT_OPTIONAL_ID_FIELDS:
            value = vals.get(field)
            optional = field in ASSIGNMENT_OPTIONAL_ID_FIELDS
            if optional and value in (None, False):
                continue
            if not self._is_id(value):
                return _(
                    "%(field)s must be the id of a record (a whole number), "
                    "not %(value)s.",
                    field=field,
                    value=self._shorten(value),
                )
        return (
            self._get_lot_name_error(vals.get("lot_name"))
            or self._get_quantity_error(vals.get("quantity"))
            or self._get_expiration_date_error(vals.get("expiration_date"))
        )

    @api.model
    def _get_assignment_fields(self):
        if self._uses_expiration_dates():
            return ASSIGNMENT_FIELDS + ("expiration_date",)
        return ASSIGNMENT_FIELDS

    @api.model
    def _uses_expiration_dates(self):
        """product_expiry is installed: lots carry an expiration date."""
        return "expiration_date" in self.env["stock.lot"]._fields

    @api.model
    def _parse_expiration_date(self, value):
        """A datetime from a date or datetime, or its text (ISO, as Odoo's
        API writes them); None when it is none of these."""
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            return datetime.datetime.combine(value, datetime.time())
        if isinstance(value, str) and value.strip():
            text = value.strip()
            for parse in (fields.Datetime.to_datetime, fields.Date.to_date):
                try:
                    return self._parse_expiration_date(parse(text))
                except ValueError:
                    continue
        return None

    @api.model
    def _get_expiration_date_error(self, value):
        if value in (None, False) or self._parse_expiration_date(value):
            return False
        return _(
            "expiration_date must be a date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS), "
            "not %(value)s.",
            value=self._shorten(value),
        )

    @api.model
    def _is_id(self, value):
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and 0 < value <= MAX_ID
        )

    @api.model
    def _get_lot_name_error(self, name):
        if not isinstance(name, str):
            return _(
                "lot_name must be the lot/serial number's name (text), not %(value)s.",
                value=self._shorten(name),
            )
        if len(name) > MAX_LOT_NAME_LENGTH:
            return _(
                "lot_name is %(length)s characters long; at most %(max)s are taken.",
                length=len(name),
                max=MAX_LOT_NAME_LENGTH,
            )
        if any(unicodedata.category(char) in ("Cc", "Cs") for char in name):
            return _(
                "lot_name %(value)s holds a control character (a line break, a "
                "tab, a null...), which no label or scanner can show.",
                value=self._shorten(name),
            )
        return False

    @api.model
    def _get_quantity_error(self, quantity):
        if (
            not isinstance(quantity, (int, float))
            or isinstance(quantity, bool)
            or not math.isfinite(quantity)
            or not 0 < quantity <= MAX_QUANTITY
        ):
            return _(
                "quantity must be a number greater than 0 and at most %(max)s, "
                "not %(value)s.",
                max=MAX_QUANTITY_TEXT,
                value=self._shorten(quantity),
            )
        return False

    @api.model
    def _shorten(self, value, limit=60):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    @api.model
    def _get_expiration_dates(self, assignments):
        """``{(product id, lot name): datetime text}`` of the assignments that
        give an expiration date (product_expiry); checked one per lot."""
        return {
            key: fields.Datetime.to_string(min(dates))
            for key, dates in self._group_expiration_dates(assignments).items()
        }

    @api.model
    def _group_expiration_dates(self, assignments):
        """``{(product id, lot name): {datetime}}``, as the assignments give them."""
        given = defaultdict(set)
        for vals in assignments or []:
            date = self._parse_expiration_date(vals.get("expiration_date"))
            if date:
                given[(vals["product_id"], vals["lot_name"].strip())].add(date)
        return given

    @api.model
    def _check_expiration_dates(self, assignments):
        """One date per lot; a lot that exists keeps its own date."""
        given = self._group_expiration_dates(assignments)
        if not given:
            return
        errors = [
            _(
                "%(lot)s: %(count)s different expiration dates given",
                lot=name,
                count=len(dates),
            )
            for (__, name), dates in given.items()
            if len(dates) > 1
        ]
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
    def _check_reservations(self, quants):
        reserved = quants.filtered(
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

    @api.model
    def _check_quantities(self, quants, tracking):
        errors = []
        for quant in quants:
            rounding = quant.product_uom_id.rounding
            label = self._get_place_label(self._get_place(quant))
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
        expected = self._get_qty_by_place(quants)
        templates_with_stock = quants.product_id.product_tmpl_id
        errors = [
            _(
                "%(line)s: there is no stock without lot/serial number here.",
                line=self._get_place_label(place),
            )
            for place in plan
            if place not in expected
            and place[0].product_tmpl_id in templates_with_stock
        ]
        for place, quantity in expected.items():
            assigned = sum(qty for __, qty in plan.get(place, []))
            diff = quantity - assigned
            if not float_is_zero(diff, precision_rounding=place[0].uom_id.rounding):
                errors.append(
                    _(
                        "%(line)s: %(quantity)s %(uom)s to reassign, %(assigned)s "
                        "assigned (%(diff)s %(what)s).",
                        line=self._get_place_label(place),
                        quantity=quantity,
                        assigned=assigned,
                        uom=place[0].uom_id.name,
                        diff=abs(diff),
                        what=_("missing") if diff > 0 else _("too many"),
                    )
                )
        self._raise_errors(_("The assigned quantities do not match the stock:"), errors)

    @api.model
    def _check_restore_within_history(self, plan, quants):
        """Restore no more than the History shows was set to zero, and where."""
        with_stock = quants.product_id.product_tmpl_id
        places = [place for place in plan if place[0].product_tmpl_id not in with_stock]
        if not places:
            return
        zeroed = {
            place: quantity
            for place, quantity, __ in self._get_zeroed_stock(
                self.env["product.product"].union(*(place[0] for place in places))
            )
        }
        errors = []
        for place in places:
            assigned = sum(quantity for __, quantity in plan[place])
            available = zeroed.get(place, 0.0)
            rounding = place[0].uom_id.rounding
            if float_compare(assigned, available, precision_rounding=rounding) > 0:
                errors.append(
                    _(
                        "%(line)s: %(assigned)s %(uom)s to restore, but the History "
                        "shows %(zeroed)s %(uom)s without lot/serial set to zero "
                        "here.",
                        line=self._get_place_label(place),
                        assigned=assigned,
                        zeroed=available,
                        uom=place[0].uom_id.name,
                    )
                )
        self._raise_errors(
            _("Only stock that an inventory adjustment removed can be restored:"),
            errors,
        )

    @api.model
    def _check_serials(self, templates, plan):
        errors = []
        seen = set()
        for place, lines in plan.items():
            product = place[0]
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
                            line=self._get_place_label(place),
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
        errors += self._get_serials_in_stock_errors(templates, seen)
        self._raise_errors(_("Serial numbers must be unique:"), errors)

    @api.model
    def _get_serials_in_stock_errors(self, templates, product_serials):
        names = {name for __, name in product_serials}
        if not names:
            return []
        in_stock = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", self._get_variants(templates).ids),
                    ("lot_id.name", "in", list(names)),
                    ("location_id.usage", "in", STOCK_USAGES),
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
    def _check_no_untracked_stock_left(self, templates):
        left = self._get_untracked_qty_by_product(self._get_variants(templates))
        if any(left.values()):
            # never switch tracking over stock left without lot/serial
            raise UserError(
                _(
                    "Stock without lot/serial number is still on hand after the "
                    "inventory adjustment; nothing was changed."
                )
            )

    @api.model
    def _get_place_label(self, place):
        product, location, package, owner = place
        label = f"{location.display_name} / {product.display_name}"
        if package:
            label += " / " + _("package %(package)s", package=package.display_name)
        if owner:
            label += " / " + _("owner %(owner)s", owner=owner.display_name)
        return label

    @api.model
    def _raise_errors(self, title, errors, limit=20):
        if not errors:
            return
        lines = errors[:limit]
        if len(errors) > limit:
            lines.append(_("... and %(count)s more.", count=len(errors) - limit))
        raise UserError("\n".join([title] + [f"- {line}" for line in lines]))

    # ------------------------------------------------------------------
    # Plan: what goes where
    # ------------------------------------------------------------------

    @api.model
    def _prepare_plan(self, templates, assignments):
        """Group the assignments by place, each one checked.

        :return: ``{(product, location, package, owner): [(lot_name, quantity)]}``
        """
        variants = {variant.id: variant for variant in self._get_variants(templates)}
        locations = self._get_stock_locations(assignments)
        places = {}  # the same place for thousands of serial numbers
        plan = defaultdict(list)
        for vals in assignments:
            place, lot_name, quantity = self._parse_assignment(
                vals, variants, locations, places
            )
            plan[place].append((lot_name, quantity))
        return dict(plan)

    @api.model
    def _get_stock_locations(self, assignments):
        """The internal and transit locations the assignments name, by id."""
        ids = {vals.get("location_id") for vals in assignments}
        # a location of a company the user cannot access is no location
        locations = (
            self.env["stock.location"]
            .browse({id_ for id_ in ids if isinstance(id_, int)})
            .exists()
            ._filter_access_rules("read")
        )
        return {
            location.id: location
            for location in locations
            if location.usage in STOCK_USAGES
        }

    @api.model
    def _parse_assignment(self, vals, variants, locations, places):
        # repr(): the values come from the caller, not always hashable
        place_ids = repr(
            [
                vals.get(name)
                for name in ("product_id", "location_id", "package_id", "owner_id")
            ]
        )
        if place_ids not in places:
            places[place_ids] = self._parse_place(vals, variants, locations)
        place = places[place_ids]
        lot_name = (vals.get("lot_name") or "").strip()
        if not lot_name:
            raise UserError(
                _(
                    "%(line)s: a lot/serial number name is empty.",
                    line=self._get_place_label(place),
                )
            )
        quantity = vals.get("quantity")
        if (
            not isinstance(quantity, (int, float))
            or float_compare(quantity, 0, precision_rounding=place[0].uom_id.rounding)
            <= 0
        ):
            raise UserError(
                _(
                    "%(line)s, %(lot)s: the quantity must be a positive number, "
                    "not %(quantity)r.",
                    line=self._get_place_label(place),
                    lot=lot_name,
                    quantity=quantity,
                )
            )
        return place, lot_name, float(quantity)

    @api.model
    def _parse_place(self, vals, variants, locations):
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
        """Count zero on these quants and apply, as Physical Inventory does."""
        self._apply_zero_count(quants, self._get_move_name(quants.product_id, "remove"))

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
        lots, created = self._get_or_create_lots(plan)
        products = self.env["product.product"].union(*(place[0] for place in plan))
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
                    lot_id=lots[place[0], self._get_company(place[1]), lot_name].id,
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
        wanted = dict.fromkeys(
            (place[0], self._get_company(place[1]), lot_name)
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
        dates = dict(self.env.context.get("lot_reassign_expiration_dates") or ())
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
        company = self._get_company(location)
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

    # ------------------------------------------------------------------
    # The record of the reassignment
    # ------------------------------------------------------------------

    @api.model
    def _start_record(self, reassignment, templates, tracking, assignments):
        Reassignment = self.env["stock.lot.reassignment"]
        if not reassignment:
            reassignment = Reassignment.create(
                Reassignment._prepare_vals(templates, tracking, assignments)
            )
        reassignment.write(
            {
                "state": "running",
                "product_line_ids": [
                    fields.Command.create(
                        {
                            "product_tmpl_id": template.id,
                            "tracking_before": template.tracking,
                            "tracking_after": tracking,
                        }
                    )
                    for template in templates
                ],
            }
        )
        return reassignment

    @api.model
    def _get_qty_by_place(self, quants):
        removed = defaultdict(float)
        for quant in quants:
            removed[self._get_place(quant)] += quant.quantity
        return removed

    @api.model
    def _get_last_move(self):
        return self.env["stock.move"].sudo().search([], order="id desc", limit=1).id

    @api.model
    def _get_removal_moves(self, templates, last_move):
        """The inventory moves the removal made (after ``last_move``)."""
        return (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("id", ">", last_move or 0),
                    ("product_id", "in", self._get_variants(templates).ids),
                    ("is_inventory", "=", True),
                    ("location_dest_id.usage", "=", "inventory"),
                ]
            )
        )

    @api.model
    def _finish_record(
        self, reassignment, removed, plan, removal, restore, created, reused, complete
    ):
        removal_by_place = defaultdict(lambda: self.env["stock.move"])
        for line in removal.move_line_ids:
            removal_by_place[self._get_place(line)] |= line.move_id
        restore_by_place = dict(zip(plan, restore, strict=True))
        places = dict.fromkeys(list(removed) + list(plan))
        if complete:
            reassignment.write(
                {
                    "state": "done",
                    "date_done": fields.Datetime.now(),
                    "error": False,
                    "error_traceback": False,
                }
            )
        reassignment.write(
            {
                "lot_created_ids": [fields.Command.link(lot.id) for lot in created],
                "lot_reused_ids": [fields.Command.link(lot.id) for lot in reused],
                "line_ids": [
                    fields.Command.create(
                        {
                            "product_id": place[0].id,
                            "location_id": place[1].id,
                            "package_id": place[2].id,
                            "owner_id": place[3].id,
                            "company_id": self._get_company(place[1]).id,
                            "quantity_removed": removed.get(place, 0.0),
                            "quantity_restored": sum(
                                q for __, q in plan.get(place, [])
                            ),
                            "removal_move_ids": [
                                fields.Command.set(removal_by_place[place].ids)
                            ],
                            "restore_move_id": restore_by_place.get(place, False)
                            and restore_by_place[place].id,
                        }
                    )
                    for place in places
                ],
            }
        )

    # ------------------------------------------------------------------
    # Undo: the same two adjustments, the other way round
    # ------------------------------------------------------------------

    @api.model
    def _undo(self, reassignment):
        """Put the stock of the reassignment's lots/serials back without
        lot/serial, in the same places, and the tracking back; one savepoint."""
        self._check_access()
        self._lock_products(reassignment.line_ids.product_id)
        self._check_undoable(reassignment)
        restored = reassignment.line_ids.restore_move_id.move_line_ids
        last_move = self._get_last_move()
        with self.env.cr.savepoint():
            removal_name = _(
                "%(reference)s cancelled: lots/serials removed",
                reference=reassignment.name,
            )
            self._apply_zero_count(self._get_restored_quants(restored), removal_name)
            for line in reassignment.product_line_ids:
                if line.product_tmpl_id.tracking != line.tracking_before:
                    line.product_tmpl_id.tracking = line.tracking_before
            name = _(
                "%(reference)s cancelled: stock put back without lot/serial",
                reference=reassignment.name,
            )
            moves = (
                self.env["stock.move"]
                .with_context(inventory_mode=False)
                .create(
                    [
                        self._get_inventory_move_values(
                            (
                                line.product_id,
                                line.location_id,
                                line.package_id,
                                line.owner_id,
                            ),
                            line.quantity_restored,
                            name,
                        )
                        for line in reassignment.line_ids
                        if line.quantity_restored
                    ]
                )
            )
            moves._action_done()
            removal = self._get_removal_moves(reassignment.product_tmpl_ids, last_move)
            reassignment.write(
                {
                    "state": "cancelled",
                    "undo_move_ids": [fields.Command.set((removal | moves).ids)],
                }
            )

    @api.model
    def _get_restored_quants(self, restored):
        places = {
            (
                ml.product_id,
                ml.location_dest_id,
                ml.lot_id,
                ml.result_package_id,
                ml.owner_id,
            )
            for ml in restored
        }
        return (
            self.env["stock.quant"]
            .search(
                [
                    ("product_id", "in", restored.product_id.ids),
                    ("location_id", "in", restored.location_dest_id.ids),
                    ("lot_id", "in", restored.lot_id.ids),
                ]
            )
            .filtered(
                lambda q: (
                    (q.product_id, q.location_id, q.lot_id, q.package_id, q.owner_id)
                    in places
                )
            )
        )

    @api.model
    def _check_undoable(self, reassignment):
        if reassignment.state != "done":
            raise UserError(
                _(
                    "Only a done reassignment can be cancelled; %(reference)s is "
                    "%(state)s.",
                    reference=reassignment.name,
                    state=dict(
                        reassignment._fields["state"]._description_selection(self.env)
                    )[reassignment.state],
                )
            )
        restored = reassignment.line_ids.restore_move_id.move_line_ids
        later = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", restored.lot_id.ids),
                ("id", ">", max(restored.ids, default=0)),
                ("state", "!=", "cancel"),
            ],
            order="id",
        )
        errors = [
            _(
                "%(lot)s has moved since: %(transfer)s.",
                lot=ml.lot_id.name,
                transfer=ml.reference or ml.move_id.name,
            )
            for ml in later
        ]
        for quant in self._get_restored_quants(restored).sudo():
            if quant.reserved_quantity:
                errors.append(
                    _("%(lot)s is reserved by a transfer.", lot=quant.lot_id.name)
                )
            if quant.inventory_quantity_set:
                errors.append(
                    _(
                        "%(lot)s is being counted in the Physical Inventory.",
                        lot=quant.lot_id.name,
                    )
                )
        self._raise_errors(
            _(
                "%(reference)s cannot be cancelled: its lots/serials are no longer "
                "where it put them.",
                reference=reassignment.name,
            ),
            errors,
        )

    # ------------------------------------------------------------------
    # History: what the documentation's first step zeroed by hand
    # ------------------------------------------------------------------

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
        restored = self._get_restored_qty(zeroing)
        result = []
        for ml in zeroing.sorted("id"):
            place = (ml.product_id, ml.location_id, ml.package_id, ml.owner_id)
            quantity = ml.quantity_product_uom - restored.get(ml, 0.0)
            rounding = ml.product_id.uom_id.rounding
            if float_compare(quantity, 0, precision_rounding=rounding) > 0:
                result.append((place, quantity, ml))
        return result

    @api.model
    def _get_restored_qty(self, zeroing_lines):
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
        restored_after = defaultdict(list)
        for product, location, package, owner, line, quantity in groups:
            restored_after[product, location, package, owner].append(
                (line.id, quantity)
            )
        return {
            ml: sum(
                quantity
                for line_id, quantity in restored_after[
                    ml.product_id, ml.location_id, ml.package_id, ml.owner_id
                ]
                if line_id > ml.id
            )
            for ml in zeroing_lines
        }
