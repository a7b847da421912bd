# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Creating thousands of similar records, as the ORM's ``create()`` would.

A reassignment creates one lot, one move line and one quant per serial number:
rows that are the same but for a lot and a quantity. For each row, ``create()``
reads the default values and builds a new record to precompute fields; once
the rows are inserted, every stored computed field it was not given is
computed again, row by row, then written with a second query; and the ORM's
``_create()`` converts and caches each value of each row one at a time. For
10,000 serial numbers, that was most of the reassignment's time.

``create_in_batch`` does the same work once per group of rows that share their
values, and once per value instead of once per row: defaults are read once,
the stored computed fields are computed by Odoo's own compute methods on one
new record per group (as ``create()`` precomputes fields), the rows are
inserted with one statement (a value shared by all rows sent once), then, as
``_create()`` does, put in cache, linked to the cached records they point to,
the computed fields depending on them marked to compute, and the constraints
and the record rules checked on every row. It does not call the ``create()``
overrides of the model: its callers do what those overrides do for their rows.
A test checks that what is cached is what is stored, and that every stored
computed field holds what its compute method gives.
"""

from collections import defaultdict

from psycopg2 import sql

from odoo.models import LOG_ACCESS_COLUMNS, BaseModel

INSERT_BATCH_SIZE = 10000


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
    rows_by_layout = defaultdict(list)  # {fields: [(index, stored values)]}
    for index, vals in enumerate(vals_list):
        keys = frozenset(vals)
        if keys not in layouts:
            layouts[keys] = _get_layout(model, vals, row_fields)
        stored = dict(layouts[keys]["defaults"], **vals)
        rows_by_layout[keys].append((index, stored))
    ids = [None] * len(vals_list)
    stored_list = [None] * len(vals_list)
    for keys, rows in rows_by_layout.items():
        layout = layouts[keys]
        layout_stored = [stored for __, stored in rows]
        _add_group_values(model, layout, layout_stored)
        for stored in layout_stored:
            stored.update(log_access)
        records = _insert(model, layout_stored, layout["protected"])
        for (index, stored), id_ in zip(rows, records.ids, strict=True):
            ids[index] = id_
            stored_list[index] = stored
    records = model.browse(ids)
    if check_company:
        _check_company_in_groups(records, stored_list)
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
    protected = set()
    for name in given.union(computed):
        field = model._fields[name]
        if field.compute:
            protected.update(model.pool.field_computed.get(field, [field]))
    return {
        "defaults": defaults,
        "computed": computed,
        "group_fields": sorted(given - set(row_fields)),
        "protected": protected,
    }


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


def _add_group_values(model, layout, stored_list):
    """Add the computed fields of ``layout`` to each row of ``stored_list``.

    Computed by Odoo's compute methods on one new record per group of rows,
    all groups together, as ``create()`` precomputes fields.
    """
    if not layout["computed"]:
        return
    groups = defaultdict(list)
    for stored in stored_list:
        # repr(): values such as properties are dicts
        key = repr([(name, stored[name]) for name in layout["group_fields"]])
        groups[key].append(stored)
    samples = model.browse().concat(*(model.new(rows[0]) for rows in groups.values()))
    for sample, rows in zip(samples, groups.values(), strict=True):
        values = {
            name: model._fields[name].convert_to_write(sample[name], sample)
            for name in layout["computed"]
        }
        for stored in rows:
            stored.update(values)


def _insert(model, stored_list, protected):
    """What ``model._create()`` does, field by field instead of row by row.

    The rows (which share their fields, all stored in a column) are inserted,
    put in cache, linked to the cached records they point to; then, as in
    ``_create()``, the computed fields that depend on them are marked to
    compute (but ``protected``), and the constraints and the record rules are
    checked on every row. A value is converted once for all the rows that
    share it: the ORM converts it per row and field, most of its time for
    thousands of rows.
    """
    names = sorted(stored_list[0])
    fields = [model._fields[name] for name in names]
    if any(not field.column_type or field.translate for field in fields):
        # translations are stored per language: leave them to the ORM
        return model._create(
            [
                {
                    "stored": stored,
                    "inversed": {},
                    "inherited": {},
                    "protected": protected,
                }
                for stored in stored_list
            ]
        )
    columns = [_convert_column(model, field, stored_list) for field in fields]
    ids = []
    for start in range(0, len(stored_list), INSERT_BATCH_SIZE):
        ids += _insert_rows(
            model,
            fields,
            [column[start : start + INSERT_BATCH_SIZE] for column in columns],
        )
    records = model.browse(ids)
    _cache_new_records(records, stored_list, fields)
    with model.env.protecting(protected, records):
        records.modified(model._fields, create=True)
        properties = [field for field in fields if field.type == "properties"]
        for field in properties:
            # as _create(), which writes them to update their definition
            field.create(
                [
                    (record, stored[field.name])
                    for record, stored in zip(records, stored_list, strict=True)
                    if stored[field.name]
                ]
            )
        if properties:
            records.modified([field.name for field in properties], create=True)
    records._validate_fields(names)
    records.check_access_rule("create")
    return records


def _convert_column(model, field, stored_list):
    """``field.convert_to_column()`` of the rows' values, once per value.

    Per row for the fields whose conversion depends on other values of the
    row (a monetary amount is rounded in its currency) or is a dict.
    """
    if field.type in ("monetary", "properties"):
        return [
            field.convert_to_column(stored[field.name], model, stored)
            for stored in stored_list
        ]
    return _convert_once(
        [stored[field.name] for stored in stored_list],
        lambda value: field.convert_to_column(value, model),
    )


def _convert_once(values, convert):
    """``[convert(value) for value in values]``, once per distinct value."""
    converted = {}
    column = []
    for value in values:
        # type: 1 and True are equal keys, not equal values
        key = (type(value), value)
        try:
            column.append(converted[key])
        except KeyError:
            converted[key] = convert(value)
            column.append(converted[key])
        except TypeError:  # not hashable
            column.append(convert(value))
    return column


def _insert_rows(model, fields, columns):
    """INSERT rows given column by column; return their ids, in order.

    A column with one value for every row (most of them: the rows are the same
    but for a lot and a quantity) is sent once; the others as arrays, one
    element per row, read back in their order.
    """
    same = [_is_constant(column) for column in columns]
    constant = [(f, c[0]) for f, c, s in zip(fields, columns, same, strict=True) if s]
    varying = [(f, c) for f, c, s in zip(fields, columns, same, strict=True) if not s]
    names = [field.name for field, __ in constant + varying]
    targets = [
        sql.SQL("%s::{}").format(sql.SQL(field.column_type[0]))
        for field, __ in constant
    ] + [sql.Identifier("rows", f"c{index}") for index in range(len(varying))]
    if varying:
        source = sql.SQL("unnest({}) WITH ORDINALITY AS rows({}, n)").format(
            sql.SQL(", ").join(
                sql.SQL("%s::{}[]").format(sql.SQL(field.column_type[0]))
                for field, __ in varying
            ),
            sql.SQL(", ").join(
                sql.Identifier(f"c{index}") for index in range(len(varying))
            ),
        )
        params = [value for __, value in constant] + [column for __, column in varying]
    else:
        source = sql.SQL("generate_series(1, %s) AS rows(n)")
        params = [value for __, value in constant] + [len(columns[0])]
    query = sql.SQL(
        "INSERT INTO {} ({}) SELECT {} FROM {} ORDER BY rows.n RETURNING id"
    ).format(
        sql.Identifier(model._table),
        sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(targets),
        source,
    )
    model.env.cr.execute(query, params)
    return [id_ for (id_,) in model.env.cr.fetchall()]


def _is_constant(column):
    first = column[0]
    return all(
        value is first or (type(value) is type(first) and value == first)
        for value in column
    )


def _cache_new_records(records, stored_list, fields):
    """Put new records in cache, as ``_create()`` does, one field at a time."""
    cache = records.env.cache
    cache_records = records.with_context(bin_size=False)
    given = {field.name for field in fields}
    given.update(LOG_ACCESS_COLUMNS, ("id", "parent_path"))
    for field in records._fields.values():
        if field.type in ("one2many", "many2many"):
            empty = ()
        elif (field.related and not field.column_type) or (
            field.store and field.name not in given and not field.compute
        ):
            empty = field.convert_to_cache(None, records)
        else:
            continue
        cache.update(cache_records, field, [empty] * len(records))
    for field in fields:
        values = _convert_once(
            [stored[field.name] for stored in stored_list],
            lambda value, field=field: field.convert_to_cache(value, records),
        )
        cache.update(cache_records, field, values)
        if (
            field.type in ("many2one", "many2one_reference")
            and (records.pool.field_inverses[field])
        ):
            ids_by_value = defaultdict(list)
            for record_id, value in zip(records.ids, values, strict=True):
                ids_by_value[value].append(record_id)
            for value, record_ids in ids_by_value.items():
                field._update_inverses(records.browse(record_ids), value)


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
