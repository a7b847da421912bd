# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Creating thousands of similar records through the ORM's ``_create()``.

A reassignment creates one lot, one move line and one quant per serial number:
rows that are the same but for a lot and a quantity. For each row, ``create()``
reads the default values and builds a new record to precompute fields; once
the rows are inserted, every stored computed field it was not given is
computed again, row by row, then written with a second query. For 10,000
serial numbers, that is most of the reassignment's time.

``create_in_batch`` does the same work once per group of rows that share their
values: defaults are read once, the stored computed fields are computed by
Odoo's own compute methods on one new record per group (as ``create()``
precomputes fields), and ``_create()`` inserts the rows with those values, puts
them in cache, marks the other computed fields to compute, and checks the
constraints and the record rules. It does not call the ``create()`` overrides
of the model: its callers do what those overrides do for their rows.
"""

from odoo.models import LOG_ACCESS_COLUMNS, BaseModel


def create_in_batch(model, vals_list, row_fields, check_company=False):
    """Create records from ``vals_list``, as ``create()`` would.

    :param model: an empty recordset of the model
    :param list vals_list: the stored field values of each record
    :param tuple row_fields: the fields whose values differ from row to row
        (a lot, a quantity); the stored computed fields that depend on none of
        them are computed once per group of rows sharing all the other values,
        and the others are left to the ORM, as with ``create()``
    :param bool check_company: check the companies of the records, as
        ``create()`` does for a model that checks them automatically
    :return: the records, in the order of ``vals_list``
    """
    if not vals_list:
        return model.browse()
    check_company = check_company or model._check_company_auto
    model.check_access_rights("create")
    if model._inherits:
        raise ValueError(f"create_in_batch: {model._name} inherits another model")
    log_access = dict.fromkeys(("create_uid", "write_uid"), model.env.uid)
    log_access.update(dict.fromkeys(("create_date", "write_date"), model.env.cr.now()))
    layouts = {}
    computed_by_group = {}
    data_list = []
    for vals in vals_list:
        keys = frozenset(vals)
        if keys not in layouts:
            layouts[keys] = _get_layout(model, vals, row_fields)
        defaults, computed, group_fields, protected = layouts[keys]
        stored = dict(defaults, **vals)
        # repr(): values such as properties are dicts
        group = repr([(name, stored[name]) for name in group_fields])
        if group not in computed_by_group:
            computed_by_group[group] = _compute_values(model, stored, computed)
        stored.update(computed_by_group[group], **log_access)
        data_list.append(
            {
                "stored": stored,
                "inversed": {},
                "inherited": {},
                "protected": protected,
            }
        )
    records = model._create(data_list)
    if check_company:
        _check_company_in_groups(records, [data["stored"] for data in data_list])
    return records


def _get_layout(model, vals, row_fields):
    """What the rows with the fields of ``vals`` share.

    :return: their defaults, the computed fields to compute once per group,
        the fields that make a group, and the fields protected from
        recomputation: like ``create()``, the computed fields given a value
    """
    defaults = _get_stored_defaults(model, vals)
    given = set(vals) | set(defaults)
    computed = _get_group_computed_fields(model, given, row_fields)
    group_fields = sorted(given - set(row_fields))
    protected = set()
    for name in given.union(computed):
        field = model._fields[name]
        if field.compute:
            protected.update(model.pool.field_computed.get(field, [field]))
    return defaults, computed, group_fields, protected


def _get_stored_defaults(model, vals):
    """Default values of the stored fields missing from ``vals``.

    Read for one row: the rows of a batch share their missing fields, and a
    default such as a sequence would be consumed for nothing.
    """
    missing = [
        name
        for name, field in model._fields.items()
        if field.store
        and field.column_type
        and name not in vals
        and name not in LOG_ACCESS_COLUMNS
        and name != "id"
    ]
    return model.default_get(missing) if missing else {}


def _get_group_computed_fields(model, given, row_fields):
    """Stored computed fields to compute once per group of rows.

    Those not given whose dependencies (which the ORM relies on to know what to
    recompute) do not include a field that varies from row to row.
    """
    names = []
    for name, field in model._fields.items():
        if not (field.store and field.column_type and field.compute):
            continue
        if name in given or name in row_fields:
            continue
        depends = model.pool.field_depends[field]
        if any(path.split(".")[0] in row_fields for path in depends):
            continue
        names.append(name)
    return names


def _compute_values(model, stored, names):
    """Values of the computed fields ``names`` of a record with ``stored``."""
    if not names:
        return {}
    sample = model.new(stored)
    return {
        name: model._fields[name].convert_to_write(sample[name], sample)
        for name in names
    }


def _check_company_in_groups(records, stored_list):
    """``records._check_company()``, on one record per group of records that
    it would check alike.

    It reads the company of each record and the records linked by its fields
    that check the company; of a linked record whose model keeps Odoo's
    default company domain (a lot, a location), only the company matters.
    """
    names = [
        name
        for name, field in records._fields.items()
        if field.relational and field.check_company and field.type == "many2one"
    ]
    company_of = {}
    for name in names:
        comodel = records.env[records._fields[name].comodel_name].sudo()
        check_domain = type(comodel)._check_company_domain
        if "company_id" in comodel and check_domain is BaseModel._check_company_domain:
            ids = {stored.get(name) for stored in stored_list} - {None, False}
            for corecord in comodel.browse(ids):
                company_of[name, corecord.id] = ("company", corecord.company_id.id)
    firsts = {}
    for record, stored in zip(records, stored_list, strict=True):
        key = (stored.get("company_id"),) + tuple(
            company_of.get((name, stored.get(name)), stored.get(name)) for name in names
        )
        firsts.setdefault(key, record)
    records.browse([record.id for record in firsts.values()])._check_company()
