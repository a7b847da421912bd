# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import operator
from collections import defaultdict, namedtuple

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

TRACKINGS = ("lot", "serial", "none")
TRACKING_SELECTION = [
    ("lot", "By Lots"),
    ("serial", "By Unique Serial Number"),
    ("none", "No Tracking"),
]
STOCK_USAGES = ("internal", "transit")
QUANTITY_OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}

# Where stock without lot/serial is, and where the same quantity goes back:
# the key of a plan, of a record's line, of a wizard's line.
Place = namedtuple("Place", "product location package owner")
# What an assignment replaces: the stock at a place carrying ``lot`` (an
# empty ``stock.lot``: the stock without lot/serial); the key of a plan.
Source = namedtuple("Source", "place lot")


class StockLotReassignmentProcedure(models.AbstractModel):
    """Odoo's documented procedure to give lots/serials to untracked stock,
    and the same for stock that carries lots/serials already (a lot split
    into serial numbers, a wrong lot corrected, tracking removed).

    1. An inventory adjustment sets every quant without lot/serial, and the
       quants of the lots named (``from_lot_id``), to zero
       (``stock.quant._apply_inventory``).
    2. The products switch to tracking by lots, by serial numbers, or none.
    3. A second inventory adjustment puts the same quantities back, in the
       same place, carried by the new lots/serials (none, without tracking).

    This room runs the steps and makes the plan, ``{Source: [(lot_name,
    quantity)]}`` (``lot_name`` empty without tracking); the others each do
    one step: what ``reassign_lots`` accepts
    (``stock.lot.reassignment.input``), the refusals
    (``stock.lot.reassignment.check``), the locks
    (``stock.lot.reassignment.lock``), the two adjustments
    (``stock.lot.reassignment.adjustment``), the stock zeroed by hand
    (``stock.lot.reassignment.history``); the record
    (``stock.lot.reassignment``) writes what was done and undoes it.
    """

    _name = "stock.lot.reassignment.procedure"
    _description = "Lot/Serial Reassignment Procedure"

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    @api.model
    def _run(
        self,
        templates,
        tracking,
        assignments,
        reassignment=None,
        complete=True,
        unreserve=False,
    ):
        """Check, then run the three steps in one savepoint, and record them
        on ``reassignment`` (a new one when not given); ``complete``: the
        last (or only) part of the reassignment, which marks it done;
        ``unreserve``: the transfers reserving this stock are unreserved
        first and reserved again at the end, in the same savepoint.

        :return: the lots used, in the order of the plan, and the
            ``stock.lot.reassignment`` record
        """
        variants = self._get_variants(templates)
        self.env["stock.lot.reassignment.lock"]._acquire_exclusive(variants)
        check = self.env["stock.lot.reassignment.check"]
        check._check_stock_unchanged_since_snapshot(variants)
        quants, plan, chains = self._prepare(
            templates, tracking, assignments, unreserve
        )
        companies = self._get_companies(quants, plan)
        dates = self.env["stock.lot.reassignment.input"]._get_expiration_dates(
            assignments
        )
        company_ids = (self.env.company | companies).ids
        env = self.with_context(
            allowed_company_ids=company_ids,
            lot_reassignment_expiration_dates=tuple(sorted(dates.items())),
        ).env
        templates = templates.with_env(env)
        with self.env.cr.savepoint():
            reassignment = (
                (reassignment or env["stock.lot.reassignment"])
                .with_env(env)
                ._start(templates, tracking, assignments, unreserve)
            )
            env = env(context=dict(env.context, lot_reassignment_ref=reassignment.name))
            adjustment = env["stock.lot.reassignment.adjustment"]
            reservation = env["stock.lot.reassignment.reservation"]
            if not unreserve:
                chains = {}
            moves = reservation._get_moves_to_reserve_again(quants, chains).with_env(
                env
            )
            reserved_before = reservation._unreserve(moves)
            removed = self._get_qty_by_source(quants)
            last_move = adjustment._get_last_move()
            adjustment._remove_stock(quants.with_env(env))
            check.with_env(env)._check_no_stock_left(templates, quants)
            templates.filtered(lambda t: t.tracking != tracking).write(
                {"tracking": tracking}
            )
            lots, created, restore_moves = adjustment._restore_with_lots(plan)
            adjustment._unlink_emptied_quants(variants, quants)
            reserved_after = reservation._reserve_again(moves, reserved_before, chains)
            reassignment.with_env(env)._record_result(
                transfers=reservation._prepare_transfer_vals(
                    reserved_before, reserved_after, "reassign", chains
                ),
                removed=removed,
                plan=plan,
                removal_moves=adjustment._get_removal_moves(variants, last_move),
                restore_moves=restore_moves,
                lots_created=created,
                lots_reused=lots - created,
                complete=complete,
            )
        return lots, reassignment

    @api.model
    def _prepare(self, templates, tracking, assignments, unreserve=False):
        """Refuse a reassignment that cannot run; nothing is changed.

        :return: the quants to remove (sudo): without lot/serial, and of the
            lots named; the plan; and the next steps of routes waiting for
            those quants
            (``stock.lot.reassignment.reservation._get_chained_moves``)
        """
        check = self.env["stock.lot.reassignment.check"]
        check._check_access()
        self.env["stock.lot.reassignment.input"]._check_input(
            tracking, assignments, unreserve
        )
        check._check_products(templates)
        quants = self._search_untracked_quants(self._get_variants(templates))
        # before any message names a place of a company the user cannot see
        check._check_companies(quants.company_id)
        plan = self._prepare_plan(templates, tracking, assignments or [])
        lot_quants = self._search_lot_quants_of(self._get_variants(templates))
        quants |= lot_quants.filtered(lambda q: self._get_source(q) in plan)
        check._check_companies(self._get_companies(quants, plan))
        chains = self.env["stock.lot.reassignment.reservation"]._get_chained_moves(
            self._get_sources(quants)
        )
        check._check_reservations(quants, chains, unreserve)
        check._check_quantities(quants, tracking)
        check._check_plan_covers_stock(plan, quants)
        check._check_lots_left(lot_quants, tracking, plan)
        check._check_restore_within_history(plan, quants)
        if tracking == "serial":
            check._check_serials(templates, plan, quants)
        check._check_plan_not_empty(plan)
        check._check_tracking_removal_changes_something(templates, tracking, plan)
        check._check_expiration_dates(assignments)
        return quants, plan, chains

    # ------------------------------------------------------------------
    # The plan: what goes where
    # ------------------------------------------------------------------

    @api.model
    def _prepare_plan(self, templates, tracking, assignments):
        """Group the assignments by what they replace, each one checked.

        :return: ``{Source: [(lot_name, quantity)]}``
        """
        variants = {variant.id: variant for variant in self._get_variants(templates)}
        locations = self._get_stock_locations(assignments)
        lots = self._get_from_lots(assignments)
        sources = {}  # the same source for thousands of serial numbers
        plan = defaultdict(list)
        for vals in assignments:
            source, lot_name, quantity = self._parse_assignment(
                vals, tracking, variants, locations, lots, sources
            )
            plan[source].append((lot_name, quantity))
        return dict(plan)

    @api.model
    def _get_from_lots(self, assignments):
        """The lots the assignments replace (``from_lot_id``), by id (sudo: a
        lot of a company the user cannot access is refused by the check of
        companies, by name of the company, not by an access error)."""
        ids = {vals.get("from_lot_id") for vals in assignments} - {None, False}
        lots = self.env["stock.lot"].sudo().browse(ids).exists()
        return {lot.id: lot for lot in lots}

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
    def _parse_assignment(self, vals, tracking, variants, locations, lots, sources):
        # repr(): the values come from the caller, not always hashable
        source_ids = repr(
            [vals.get(f"{name}_id") for name in Place._fields]
            + [vals.get("from_lot_id")]
        )
        if source_ids not in sources:
            place = self._parse_place(vals, variants, locations)
            sources[source_ids] = Source(place, self._parse_from_lot(vals, place, lots))
        source = sources[source_ids]
        place = source.place
        lot_name = (vals.get("lot_name") or "").strip()
        if tracking == "none" and lot_name:
            raise UserError(
                _(
                    "%(line)s: %(lot)s is given, but without tracking the stock "
                    "comes back without lot/serial number: leave lot_name empty.",
                    line=self._get_source_label(source),
                    lot=lot_name,
                )
            )
        if tracking != "none" and not lot_name:
            raise UserError(
                _(
                    "%(line)s: a lot/serial number name is empty.",
                    line=self._get_source_label(source),
                )
            )
        quantity = vals.get("quantity")
        if (
            not isinstance(quantity, (int, float))
            or float_compare(
                quantity, 0, precision_rounding=place.product.uom_id.rounding
            )
            <= 0
        ):
            raise UserError(
                _(
                    "%(line)s, %(lot)s: the quantity must be a positive number, "
                    "not %(quantity)r.",
                    line=self._get_source_label(source),
                    lot=lot_name or _("no lot/serial"),
                    quantity=quantity,
                )
            )
        return source, lot_name, float(quantity)

    @api.model
    def _parse_from_lot(self, vals, place, lots):
        """The lot an assignment replaces: one of its product's lots."""
        lot_id = vals.get("from_lot_id")
        if not lot_id:
            return self.env["stock.lot"]
        lot = lots.get(lot_id)
        if not lot or lot.product_id != place.product:
            raise UserError(
                _(
                    "%(line)s: from_lot_id %(lot)s is not a lot/serial number of "
                    "%(product)s.",
                    line=self._get_place_label(place),
                    lot=lot.display_name if lot else lot_id,
                    product=place.product.display_name,
                )
            )
        return lot

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
        return Place(
            product,
            location,
            self.env["stock.quant.package"].browse(vals.get("package_id") or []),
            self.env["res.partner"].browse(vals.get("owner_id") or []),
        )

    # ------------------------------------------------------------------
    # Stock without lot/serial
    # ------------------------------------------------------------------

    @api.model
    def _get_variants(self, templates):
        return templates.with_context(active_test=False).product_variant_ids

    @api.model
    def _get_untracked_domain(self, products):
        """Quants without lot/serial in stock locations, of these products
        (``None``: of any product)."""
        domain = [
            ("lot_id", "=", False),
            ("location_id.usage", "in", STOCK_USAGES),
            ("quantity", "!=", 0),
        ]
        if products is not None:
            domain.insert(0, ("product_id", "in", products.ids))
        return domain

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
    def _search_lot_quants_of(self, products):
        """Every quant with a lot/serial of these products in stock locations."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "in", products.ids),
                    ("lot_id", "!=", False),
                    ("location_id.usage", "in", STOCK_USAGES),
                    ("quantity", "!=", 0),
                ],
                order="product_id, location_id, package_id, owner_id, lot_id, id",
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
    def _get_lot_quantities(self, quants):
        """``{lot: quantity}`` these quants hold, each lot in all its places."""
        quantities = defaultdict(float)
        for quant in quants:
            quantities[quant.lot_id] += quant.quantity
        return quantities

    @api.model
    def _get_untracked_qty_by_product(self, products, companies=None):
        """On-hand quantity without lot/serial of each product (``None``:
        of every product that has some): in ``companies`` when given, else
        in every company."""
        if products is not None and not products:
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
    def _get_qty_to_reassign_by_product(self, products, companies=None):
        """What the product form counts as to reassign: the stock without
        lot/serial, and, of a product tracked by serial numbers, the stock in
        serial numbers of more than one unit (``None``: of every product)."""
        quantities = self._get_untracked_qty_by_product(products, companies)
        for product, quantity in self._get_oversized_serials(products, companies):
            quantities[product.id] = float_round(
                quantities.get(product.id, 0.0) + quantity,
                precision_rounding=product.uom_id.rounding,
            )
        return quantities

    @api.model
    def _get_oversized_serials(self, products, companies=None):
        """``[(product, quantity)]`` of the serial numbers in stock holding
        more than one unit."""
        if products is not None and not products:
            return []
        domain = [
            ("product_id.tracking", "=", "serial"),
            ("lot_id", "!=", False),
            ("location_id.usage", "in", STOCK_USAGES),
        ]
        if products is not None:
            domain.append(("product_id", "in", products.ids))
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                domain,
                ["product_id", "lot_id"],
                ["quantity:sum"],
                having=[("quantity:sum", ">", 1)],
            )
        )
        return [
            (product, quantity)
            for product, __, quantity in groups
            if float_compare(quantity, 1, precision_rounding=product.uom_id.rounding)
            > 0
        ]

    @api.model
    def _get_quantity_domain(self, quantities, operator, value):
        """A domain on ``id`` matching the records whose quantity (``{id:
        quantity}``, 0 for those not given) compares to ``value``."""
        compare = QUANTITY_OPERATORS.get(operator)
        if (
            compare is None
            or isinstance(value, bool)
            or not isinstance(value, (int, float))
        ):
            raise UserError(
                _(
                    "Units without Lot/Serial can be searched with a number and "
                    "one of %(operators)s, not %(operator)s %(value)r.",
                    operators=", ".join(QUANTITY_OPERATORS),
                    operator=operator,
                    value=value,
                )
            )
        matching = [
            id_ for id_, quantity in quantities.items() if compare(quantity, value)
        ]
        if not compare(0.0, value):
            return [("id", "in", matching)]
        others = [id_ for id_ in quantities if id_ not in set(matching)]
        return [("id", "not in", others)]

    @api.model
    def _get_places_to_reassign(self, templates):
        """What the user may see of these products' stock: the places holding
        stock without lot/serial, or, for a product whose stock was already
        set to zero by hand, the places the History shows zeroed; the places
        holding each lot/serial number, with the lot's quantity in stock;
        whether other companies hold more (never shown: not their places,
        not their quantities); and the shown quants.

        :return: ``([(source, quantity, reserved, from_history,
            lot_quantity)], hidden, shown quants)``
        """
        variants = self._get_variants(templates)
        untracked = self._search_untracked_quants(variants)
        with_lots = self._search_lot_quants_of(variants)
        lot_quantity = self._get_lot_quantities(with_lots)
        quants = untracked | with_lots
        shown = quants.filtered(lambda q: self._is_in_user_companies(q.company_id))
        places = [
            (
                self._get_source(q),
                q.quantity,
                q.reserved_quantity,
                False,
                lot_quantity.get(q.lot_id, 0.0),
            )
            for q in shown
        ]
        stocked = untracked.product_id.product_tmpl_id
        zeroed = self.env["stock.lot.reassignment.history"]._get_zeroed_stock(
            variants.filtered(lambda p: p.product_tmpl_id not in stocked)
        )
        no_lot = self.env["stock.lot"]
        visible = [
            (Source(place, no_lot), quantity, 0.0, True, 0.0)
            for place, quantity, __ in zeroed
            if self._is_in_user_companies(place.location.company_id)
        ]
        hidden = len(shown) < len(quants) or len(visible) < len(zeroed)
        return places + visible, hidden, shown

    @api.model
    def _is_in_user_companies(self, company):
        """In a company the user may access and has selected (no company:
        shared)."""
        return self.env.su or not company or company in self.env.companies

    @api.model
    def _get_place(self, record):
        """The place of a quant (or of a record with the same fields)."""
        return Place(
            record.product_id, record.location_id, record.package_id, record.owner_id
        )

    @api.model
    def _get_source(self, quant):
        """What a quant holds: its place and its lot (or none)."""
        return Source(self._get_place(quant), quant.lot_id)

    @api.model
    def _get_sources(self, quants):
        return {self._get_source(quant) for quant in quants}

    @api.model
    def _get_qty_by_source(self, quants):
        quantities = defaultdict(float)
        for quant in quants:
            quantities[self._get_source(quant)] += quant.quantity
        return quantities

    @api.model
    def _get_company(self, location):
        return location.company_id or self.env.company

    @api.model
    def _prefetch_companies(self, places):
        """Read the companies of these places' locations in one query: each
        place holds a location record of its own, which would read its
        company alone."""
        self.env["stock.location"].union(*(place.location for place in places)).mapped(
            "company_id"
        )

    @api.model
    def _get_companies(self, quants, plan):
        return quants.company_id | self.env["res.company"].union(
            *(source.place.location.company_id for source in plan)
        )

    @api.model
    def _get_place_label(self, place):
        label = f"{place.location.display_name} / {place.product.display_name}"
        if place.package:
            label += " / " + _(
                "package %(package)s", package=place.package.display_name
            )
        if place.owner:
            label += " / " + _("owner %(owner)s", owner=place.owner.display_name)
        return label

    @api.model
    def _get_source_label(self, source):
        label = self._get_place_label(source.place)
        if source.lot:
            label += " / " + _("lot/serial %(lot)s", lot=source.lot.name)
        return label
