# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import math
import unicodedata
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .stock_lot_reassignment_procedure import TRACKINGS

# What reassign_lots accepts (README, API); anything else is refused.
ASSIGNMENT_ID_FIELDS = ("product_id", "location_id")
ASSIGNMENT_OPTIONAL_ID_FIELDS = ("package_id", "owner_id", "from_lot_id")
ASSIGNMENT_FIELDS = (
    ASSIGNMENT_ID_FIELDS + ASSIGNMENT_OPTIONAL_ID_FIELDS + ("lot_name", "quantity")
)
MAX_ASSIGNMENTS = 200000
MAX_LOT_NAME_LENGTH = 1000
MAX_QUANTITY = 1e12  # beyond it a float has no digits left for the UoM rounding
MAX_QUANTITY_TEXT = f"{MAX_QUANTITY:g}"
MAX_ID = 2**31 - 1  # PostgreSQL's integer


class StockLotReassignmentInput(models.AbstractModel):
    """What ``reassign_lots`` accepts: the types and bounds of what a caller
    gives (over RPC, anything), each refusal naming the assignment and its
    field. The checks against the stock come after (``_prepare``)."""

    _name = "stock.lot.reassignment.input"
    _description = "Lot/Serial Reassignment: Input Validation"

    @api.model
    def _check_input(self, tracking, assignments, unreserve=False):
        self._check_tracking(tracking)
        self._check_flag("unreserve", unreserve)
        self._check_assignments_input(assignments, tracking)

    @api.model
    def _check_flag(self, name, value):
        """An option of ``reassign_lots`` is true or false, nothing else."""
        if not isinstance(value, bool):
            raise ValidationError(
                _(
                    "%(name)s must be true or false, not %(value)s.",
                    name=name,
                    value=self._shorten(value),
                )
            )

    @api.model
    def _check_assignments_of_products(self, assignments, templates):
        """Each assignment (already valid input) for a variant of ``templates``:
        a stored plan, run later, is checked against its products again."""
        variant_ids = set(
            templates.with_context(active_test=False).product_variant_ids.ids
        )
        for index, vals in enumerate(assignments):
            if vals["product_id"] not in variant_ids:
                raise ValidationError(
                    _(
                        "Assignment %(index)s (counted from 0): product_id "
                        "%(product)s is not a variant of the products of this "
                        "reassignment.",
                        index=index,
                        product=vals["product_id"],
                    )
                )

    @api.model
    def _check_tracking(self, tracking):
        if tracking not in TRACKINGS:
            raise UserError(
                _(
                    "Choose the tracking to switch to: 'lot' (By Lots), 'serial' "
                    "(By Unique Serial Number) or 'none' (No Tracking), not "
                    "%(tracking)r.",
                    tracking=tracking,
                )
            )

    @api.model
    def _check_assignments_input(self, assignments, tracking=None):
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
            error = self._get_assignment_input_error(vals, tracking)
            if error:
                raise ValidationError(
                    _(
                        "Assignment %(index)s (counted from 0): %(error)s",
                        index=index,
                        error=error,
                    )
                )

    @api.model
    def _get_assignment_input_error(self, vals, tracking=None):
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
            self._get_lot_name_error(vals.get("lot_name"), tracking)
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
    def _get_lot_name_error(self, name, tracking=None):
        if tracking == "none":
            if name in (None, False, ""):
                return False
            return _(
                "lot_name must be empty with tracking 'none': the stock comes "
                "back without lot/serial number, not as %(value)s.",
                value=self._shorten(name),
            )
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
            if date and vals.get("lot_name"):
                given[(vals["product_id"], vals["lot_name"].strip())].add(date)
        return given
