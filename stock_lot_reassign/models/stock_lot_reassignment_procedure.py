# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import operator
from collections import defaultdict, namedtuple

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, float_round

TRACKINGS = ("lot", "serial")
TRACKING_SELECTION = [("lot", "By Lots"), ("serial", "By Unique Serial Number")]
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


class StockLotReassignmentProcedure(models.AbstractModel):
    """Odoo's documented procedure to give lots/serials to untracked stock.

    1. An inventory adjustment sets every quant without lot/serial to zero
       (``stock.quant._apply_inventory``).
    2. The products switch to tracking by lots or by serial numbers.
    3. A second inventory adjustment puts the same quantities back, in the
       same place, carried by lots/serials.

    This room runs the steps and makes the plan, ``{Place: [(lot_name,
    quantity)]}``; the others each do one step: what ``reassign_lots``
    accepts (``stock.lot.reassignment.input``), the refusals
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
            removed = self._get_qty_by_place(quants)
            last_move = adjustment._get_last_move()
            adjustment._remove_untracked_stock(quants.with_env(env))
            check.with_env(env)._check_no_untracked_stock_left(templates)
            templates.filtered(lambda t: t.tracking != tracking).write(
                {"tracking": tracking}
            )
            lots, created, restore_moves = adjustment._restore_with_lots(plan)
            adjustment._unlink_empty_untracked_quants(variants)
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

        :return: the quants without lot/serial (sudo), the plan, and the
            next steps of routes waiting for those quants
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
        chains = self.env["stock.lot.reassignment.reservation"]._get_chained_moves(
            quants
        )
        check._check_reservations(quants, chains, unreserve)
        check._check_quantities(quants, tracking)
        plan = self._prepare_plan(templates, assignments or [])
        check._check_companies(self._get_companies(quants, plan))
        check._check_plan_covers_stock(plan, quants)
        check._check_restore_within_history(plan, quants)
        if tracking == "serial":
            check._check_serials(templates, plan)
        check._check_plan_not_empty(plan)
        check._check_expiration_dates(assignments)
        return quants, plan, chains

    # ------------------------------------------------------------------
    # The plan: what goes where
    # ------------------------------------------------------------------

    @api.model
    def _prepare_plan(self, templates, assignments):
        """Group the assignments by place, each one checked.

        :return: ``{Place: [(lot_name, quantity)]}``
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
        place_ids = repr([vals.get(f"{name}_id") for name in Place._fields])
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
            or float_compare(
                quantity, 0, precision_rounding=place.product.uom_id.rounding
            )
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
        """What the user may see of these products' stock without lot/serial:
        the places holding it, or, for a product whose stock was already set
        to zero by hand, the places the History shows zeroed; and whether
        other companies hold more (never shown: not their places, not their
        quantities); and the shown quants.

        :return: ``([(place, quantity, reserved, from_history)], hidden,
            shown quants)``
        """
        variants = self._get_variants(templates)
        quants = self._search_untracked_quants(variants)
        shown = quants.filtered(lambda q: self._is_in_user_companies(q.company_id))
        places = [
            (self._get_place(q), q.quantity, q.reserved_quantity, False) for q in shown
        ]
        stocked = quants.product_id.product_tmpl_id
        zeroed = self.env["stock.lot.reassignment.history"]._get_zeroed_stock(
            variants.filtered(lambda p: p.product_tmpl_id not in stocked)
        )
        visible = [
            (place, quantity, 0.0, True)
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
    def _get_qty_by_place(self, quants):
        quantities = defaultdict(float)
        for quant in quants:
            quantities[self._get_place(quant)] += quant.quantity
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
            *(place.location.company_id for place in plan)
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
