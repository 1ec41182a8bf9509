"""The Spark engine: the same scan as DataFrame operations, for networks past one machine.

Per-record steps run the library's Arrow batch functions through `mapInArrow` (scan.records, scan.lsh,
scan.parts): executors run exactly the code of the local engine and of `falsefriends check`. Global
steps are DataFrame operations: templates as band-key groupBys and min-label propagation joins,
outreach and fan-out as aggregations, SybilRank as iterated joins from the seeds, coordinated clusters as a
self-join on shared traces and min-label propagation (scan.clusters_spark).
Nothing but the `pyspark` wheel and a Java runtime is needed (no extra jars).
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from falsefriends.scan import lsh, parts, records, signals
from falsefriends.scan.clusters_spark import find_campaigns
from falsefriends.scan.contract import COLUMNS, KEYS, MAX_TEXT, QUARANTINE_SCHEMA, REFERENCES, ROW_RULES, ScanInputError
from falsefriends.scan.photos import spark_photos
from falsefriends.scan.result import Progress, ScanResult, no_progress
from falsefriends.scan.seeds import DEFAULT_RULE, default_seed_mask

TRUST_DECIMALS = 9
_SPARK_TYPES = {"int64": ("tinyint", "smallint", "int", "bigint"), "string": ("string", "void"),
                "timestamp": ("timestamp", "timestamp_ntz", "void"), "date": ("date", "timestamp", "void")}


def session(master: str | None = None, app: str = "falsefriends-scan") -> Any:
    """A SparkSession: the given master, or an existing session, or local[2]. Workers run this Python."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app)
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    if master is None and os.environ.get("PYSPARK_GATEWAY_PORT"):
        return builder.getOrCreate()  # launched by spark-submit: its --master and --conf stand
    builder = builder.master(master or "local[2]")
    if (master or "local").startswith("local"):
        builder = (builder.config("spark.ui.enabled", "false")
                   .config("spark.sql.shuffle.partitions", os.environ.get("FALSEFRIENDS_SPARK_PARTITIONS", "8"))
                   .config("spark.driver.memory", os.environ.get("FALSEFRIENDS_SPARK_DRIVER_MEMORY", "2g")))
    builder = (builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
               .config("spark.ui.showConsoleProgress", "false"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def ddl(schema: pa.Schema) -> str:
    """A Spark DDL string for an Arrow schema of the scan's batch functions."""
    def kind(t: pa.DataType) -> str:
        if pa.types.is_list(t):
            return f"array<{kind(t.value_type)}>"
        names = {pa.int64(): "long", pa.string(): "string", pa.float64(): "double", pa.binary(): "binary",
                 pa.bool_(): "boolean"}
        return names[t]
    return ", ".join(f"{f.name} {kind(f.type)}" for f in schema)


def _spark_kind(arrow: pa.DataType) -> str:
    if pa.types.is_integer(arrow):
        return "int64"
    if pa.types.is_timestamp(arrow):
        return "timestamp"
    if pa.types.is_date(arrow):
        return "date"
    return "string"


def _read(spark: Any, directory: str, table: str) -> Any:
    from pyspark.sql import functions as F

    path = f"{directory.rstrip('/')}/{table}.parquet"
    try:
        frame = spark.read.parquet(path)
    except Exception as exc:  # AnalysisException: path does not exist
        raise ScanInputError(f"{path}: missing or unreadable; a scan needs "
                             f"{', '.join(f'{t}.parquet' for t in COLUMNS)}") from exc
    found = dict(frame.dtypes)
    columns = []
    for column, arrow, _ in COLUMNS[table]:
        if column not in found:
            raise ScanInputError(f"{path}: table {table} has no column {column!r} (the input contract, "
                                 "docs/scan.md, lists the columns)")
        kind = _spark_kind(arrow)
        if found[column] not in _SPARK_TYPES[kind]:
            raise ScanInputError(f"{path}: table {table}, column {column!r} has type {found[column]}, "
                                 f"expected {kind}")
        target = {"int64": "bigint", "string": "string", "timestamp": "timestamp", "date": "date"}[kind]
        columns.append(F.col(column).cast(target).alias(column))
    return frame.select(*columns).withColumn("_row", F.monotonically_increasing_id())


def read_tables(spark: Any, directory: str) -> tuple[dict[str, Any], Any, dict[str, int]]:
    """The tables with the row rules applied, the quarantine DataFrame, and the rows read per table.

    Each row gets the reason of the first rule it breaks (the order of `contract.ROW_RULES`, as locally).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    raw = {name: _read(spark, directory, name) for name in COLUMNS}
    rows_read = {name: int(frame.count()) for name, frame in raw.items()}
    kept: dict[str, Any] = {}
    quarantine = None
    member_ids = None
    for name in ("members", "invitations", "messages", "connections"):
        data = raw[name]
        checks = []
        cleared = []
        for index, rule in enumerate(ROW_RULES):
            if rule.table != name:
                continue
            column = F.col(rule.column)
            if rule.kind == "null":
                bad = column.isNull()
            elif rule.kind == "negative":  # the value is cleared, the row kept
                cleared.append(data.where(column < 0).select(
                    F.lit(name).alias("table"), F.lit(None).cast("bigint").alias("row"),
                    F.col(KEYS[name]).alias("key"), F.lit(rule.column).alias("column"),
                    F.lit(rule.reason).alias("reason")))
                data = data.withColumn(rule.column, F.when(column < 0, F.lit(None)).otherwise(column))
                continue
            elif rule.kind == "duplicate":
                flag = f"_dup{index}"
                data = data.withColumn(flag, F.row_number().over(Window.partitionBy(rule.column).orderBy("_row")) > 1)
                bad = F.col(flag)
            elif rule.kind == "too-long":
                bad = F.coalesce(F.length(column) > MAX_TEXT, F.lit(False))
            elif rule.kind == "unknown-member":
                assert member_ids is not None
                flag = f"_known{index}"
                data = data.join(member_ids.select(F.col("member_id").alias(rule.column), F.lit(True).alias(flag)),
                                 rule.column, "left")
                bad = F.col(flag).isNull()
            else:  # pragma: no cover
                raise AssertionError(rule.kind)
            checks.append((bad, rule))
        reason = F.lit(None).cast("string")
        failed = F.lit(None).cast("string")
        for bad, rule in reversed(checks):
            reason = F.when(bad, F.lit(rule.reason)).otherwise(reason)
            failed = F.when(bad, F.lit(rule.column)).otherwise(failed)
        data = data.withColumn("_reason", reason).withColumn("_column", failed).cache()
        bad_rows = data.where(F.col("_reason").isNotNull()).select(
            F.lit(name).alias("table"), F.lit(None).cast("bigint").alias("row"), F.col(KEYS[name]).alias("key"),
            F.col("_column").alias("column"), F.col("_reason").alias("reason"))
        for frame in [*cleared, bad_rows]:
            quarantine = frame if quarantine is None else quarantine.unionByName(frame)
        kept[name] = data.where(F.col("_reason").isNull()).select(*[c for c, _, _ in COLUMNS[name]]).localCheckpoint()
        if name == "members":
            member_ids = kept[name].select("member_id")
    assert set(REFERENCES) <= set(COLUMNS)
    return kept, quarantine, rows_read


def _items(tables: dict[str, Any]) -> Any:
    from pyspark.sql import functions as F

    m = tables["messages"].select(
        (F.col("message_id") * 2 + 1).alias("item"), F.col("sender_id").alias("sender"),
        F.col("recipient_id").alias("recipient"), F.col("sent_at"),
        F.coalesce("subject", F.lit("")).alias("subject"), F.coalesce("body", F.lit("")).alias("body"))
    i = tables["invitations"].select(
        (F.col("invitation_id") * 2).alias("item"), F.col("inviter_id").alias("sender"),
        F.col("invitee_id").alias("recipient"), F.col("sent_at"), F.lit("").alias("subject"),
        F.coalesce("message", F.lit("")).alias("body"))
    both = m.unionByName(i).withColumn("sent_at", F.unix_millis("sent_at"))
    return both.where((F.length(F.trim("body")) > 0) | (F.length("subject") > 0))


def _components(spark: Any, nodes: Any, edges: Any, progress: Progress) -> Any:
    """Min-label propagation: each node's label becomes the smallest node id of its connected component."""
    from pyspark.sql import functions as F

    both = edges.select("a", "b").unionByName(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    both = both.localCheckpoint()
    labels = nodes.select(F.col("rep").alias("node"), F.col("rep").alias("label")).localCheckpoint()
    for step in range(1, 200):
        progress("templates: components", step, 0)
        offered = both.join(labels.withColumnRenamed("node", "b"), "b").groupBy("a").agg(
            F.min("label").alias("offer"))
        updated = labels.join(offered.withColumnRenamed("a", "node"), "node", "left").select(
            "node", F.least("label", F.coalesce("offer", "label")).alias("label"),
            (F.coalesce("offer", "label") < F.col("label")).alias("changed")).localCheckpoint()
        labels = updated.select("node", "label")
        if not updated.where("changed").limit(1).count():
            break
    return labels


def _trust(spark: Any, members: Any, invitations: Any, connections: Any, seeds: np.ndarray | None,
           progress: Progress) -> tuple[Any, int, str]:
    """SybilRank as iterated joins (the same steps as correlate.trust.sybilrank); returns (member_id, trust)."""
    from pyspark.sql import functions as F

    edges = connections.select(F.col("member_a").alias("a"), F.col("member_b").alias("b")).unionByName(
        invitations.where(F.col("status") == "accepted").select(F.col("inviter_id").alias("a"),
                                                                F.col("invitee_id").alias("b")))
    edges = edges.where(F.col("a") != F.col("b"))
    edges = edges.unionByName(edges.select(F.col("b").alias("a"), F.col("a").alias("b"))).distinct()
    edges = edges.localCheckpoint()
    degree = edges.groupBy("a").agg(F.count("*").cast("double").alias("degree")).withColumnRenamed("a", "node")
    nodes = members.select(F.col("member_id").alias("node"),
                           F.unix_date("created").cast("double").alias("created_day"))
    n_nodes = int(nodes.count())
    if seeds is None:
        newest = nodes.agg(F.max("created_day")).first()[0]
        newest = float(newest) if newest is not None else 0.0

        def choose(batches: Any) -> Any:
            for batch in batches:
                ids = batch.column("node").to_numpy()
                days = batch.column("created_day").to_numpy(zero_copy_only=False).astype(np.float64)
                mask = default_seed_mask(ids, days, newest)
                yield pa.RecordBatch.from_arrays([pa.array(ids[mask], type=pa.int64())],
                                                 names=["node"])
        seed_frame = nodes.mapInArrow(choose, "node long").localCheckpoint()
        rule = DEFAULT_RULE
    else:
        seed_frame = nodes.join(spark.createDataFrame([(int(s),) for s in seeds], "node long"), "node", "left_semi")
        rule = "the member ids of the seed file"
    seed_count = int(seed_frame.count())
    if seed_count == 0:
        return spark.createDataFrame([], "member_id long, trust double"), 0, rule + " (none found: trust not used)"
    steps = max(1, math.ceil(math.log2(max(n_nodes, 2))))
    trust = seed_frame.select("node", F.lit(1.0 / seed_count).alias("trust")).localCheckpoint()
    for step in range(steps):
        progress("trust propagation", step + 1, steps)
        share = trust.join(degree, "node").select(F.col("node").alias("a"), (F.col("trust") / F.col("degree"))
                                                  .alias("share"))
        trust = edges.join(share, "a").groupBy("b").agg(F.sum("share").alias("trust")).withColumnRenamed(
            "b", "node")
        # Cut the lineage now and then (an eager job each time): plans of many joins grow slow to build.
        trust = trust.localCheckpoint() if step % 4 == 3 or step == steps - 1 else trust.cache()
    final = nodes.select("node").join(trust, "node", "left").join(degree, "node", "left").select(
        F.col("node").alias("member_id"),
        F.round(F.when(F.col("degree") > 0, F.coalesce("trust", F.lit(0.0)) / F.col("degree")).otherwise(0.0)
                * F.lit(float(n_nodes)), TRUST_DECIMALS).alias("trust"))
    final = final.join(seed_frame.withColumnRenamed("node", "member_id"), "member_id", "left_anti").localCheckpoint()
    candidates = int(final.count())
    if candidates == 0:
        return spark.createDataFrame([], "member_id long, trust double"), seed_count, rule
    k = int(signals.LOW_TRUST_FRACTION * (candidates - 1))
    cut = final.orderBy("trust").limit(k + 1).agg(F.max("trust")).first()[0]
    return final.where(F.col("trust") <= F.lit(cut)), seed_count, rule


def scan_spark(directory: Path | str, *, master: str | None = None, semantic: bool = False,
               seeds: np.ndarray | None = None, progress: Progress = no_progress, spark: Any = None) -> ScanResult:
    from pyspark.sql import functions as F

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    progress("starting Spark", 0, 0)
    spark = spark or session(master)
    lap("start")
    progress("reading tables", 0, 0)
    tables, quarantine, rows_read = read_tables(spark, str(directory))
    items = _items(tables)
    texts = items.groupBy("subject", "body").agg(F.min("item").alias("rep")).localCheckpoint()
    items = items.join(texts, ["subject", "body"]).select("item", "sender", "recipient", "sent_at", "rep")
    items = items.localCheckpoint()
    lap("read")
    progress("checking texts", 0, 0)
    text_ev = texts.select("rep", "subject", "body").mapInArrow(
        lambda b: records.score_texts(b, semantic), ddl(records.TEXT_OUT)).localCheckpoint()
    lap("texts")
    progress("checking profiles", 0, 0)
    senders = items.select(F.col("sender").alias("member_id")).distinct()
    members = tables["members"]
    profile_ev = members.join(senders, "member_id", "left_semi").mapInArrow(
        records.score_profiles, ddl(records.PROFILE_OUT)).localCheckpoint()
    lap("profiles")
    # Templates: band keys per distinct text, star links per (band, key), verified, then components.
    progress("templates: hashing", 0, 0)
    banded = texts.select("rep", "subject", "body").mapInArrow(lsh.band_keys, ddl(lsh.BANDS_OUT)).localCheckpoint()
    exploded = banded.select("rep", F.posexplode("keys").alias("band", "key"))
    heads = exploded.groupBy("band", "key").agg(F.min("rep").alias("head"))
    pairs = exploded.join(heads, ["band", "key"]).where(F.col("rep") != F.col("head")).select("rep", "head").distinct()
    signature = banded.select("rep", "signature")
    linked = pairs.join(signature.withColumnRenamed("signature", "rep_signature"), "rep").join(
        signature.select(F.col("rep").alias("head"), F.col("signature").alias("head_signature")), "head")
    edges = linked.mapInArrow(lsh.verify_pairs, ddl(lsh.PAIRS_OUT)).select(F.col("rep").alias("a"),
                                                                       F.col("head").alias("b"))
    labels = _components(spark, banded.select("rep"), edges, progress)
    items_t = items.join(labels.select(F.col("node").alias("rep"), F.col("label").alias("template")), "rep", "left")
    items_t = items_t.localCheckpoint()
    lap("templates")
    progress("templates, fan-out, trust", 0, 0)
    per_sender = items_t.where(F.col("template").isNotNull()).groupBy("template", "sender").agg(
        F.countDistinct("recipient").alias("reach"), F.min("item").alias("item"))
    per_template = items_t.where(F.col("template").isNotNull()).groupBy("template").agg(
        F.countDistinct("recipient").alias("reached"))
    sums = per_sender.groupBy("template").agg(F.count("*").alias("senders"), F.sum("reach").alias("reach_sum"))
    qualifying = per_template.join(sums, "template").where(
        (F.col("reached") >= signals.MIN_TEMPLATE_RECIPIENTS)
        & (F.col("reach_sum") / F.col("senders") >= F.lit(signals.MIN_REACH_PER_SENDER))).cache()
    template_rows = per_sender.join(qualifying, "template").join(
        texts.select(F.col("rep").alias("template"), "subject", "body"), "template")
    m9 = template_rows.select("sender", "template", "item", "reached", "senders", "subject", "body").mapInArrow(
        parts.template_parts, ddl(records.PART_OUT))
    industry = members.select(F.col("member_id").alias("recipient"),
                              F.when(F.col("industry") == "", None).otherwise(F.col("industry")).alias("industry"))
    fan = items.join(industry, "recipient", "left").groupBy("sender").agg(
        F.countDistinct("recipient").alias("recipients"), F.countDistinct("industry").alias("industries"),
        F.min("sent_at").alias("first_ms"), F.max("sent_at").alias("last_ms"))
    p7 = fan.mapInArrow(parts.fan_out_parts, ddl(records.PART_OUT)).cache()
    m9 = m9.cache()
    outreach_senders = m9.select("member_id").unionByName(p7.select("member_id")).distinct().cache()
    lap("outreach")
    low, seed_count, seed_rule = _trust(spark, members, tables["invitations"], tables["connections"], seeds,
                                        progress)
    low_senders = low.join(senders, "member_id", "left_semi")
    c2 = low_senders.mapInArrow(parts.trust_parts(seed_count), ddl(records.PART_OUT)).cache()
    low_count = int(low.count())
    lap("trust")
    # Profile photos (optional column): fingerprints on the executors, compared on the driver (scan.photos).
    photos = spark_photos(spark, str(directory), members)
    if photos is not None:
        lap("photos")
    # Own evidence (profile and texts), each sender's text evidence quoting its own first item.
    sender_texts = items.groupBy("sender", "rep").agg(F.min("item").alias("item")).join(text_ev, "rep")
    text_parts = sender_texts.select("sender", "item", "evidence").mapInArrow(records.restamp, ddl(records.PART_OUT))
    own_parts = profile_ev.select("member_id", F.col("evidence").alias("part")).unionByName(text_parts)
    own_parts = own_parts.cache()
    # Coordinated clusters among the outreach accounts, as joins (scan.coordination; scan.clusters_spark).
    progress("coordinated clusters", 0, 0)
    cand = members.join(outreach_senders, "member_id", "left_semi").select("member_id", "employer", "created")
    # The template's name as parts.template_name writes it: tpl-m<message_id> or tpl-i<invitation_id>.
    name = F.concat(F.lit("tpl-"), F.when(F.col("template") % 2 == 1, F.lit("m")).otherwise(F.lit("i")),
                    F.shiftright("template", 1).cast("string"))
    out_items = items_t.join(outreach_senders.withColumnRenamed("member_id", "sender"), "sender", "left_semi") \
        .join(qualifying.select("template").withColumn("outreach", F.lit(True)), "template", "left") \
        .select("sender", "recipient", "sent_at", F.when(F.col("outreach"), name).alias("template"))
    campaigns, c1 = find_campaigns(spark, cand, out_items, own_parts.join(outreach_senders, "member_id", "left_semi"),
                                   ddl, _components, progress, photos.keys if photos else None)
    c1 = c1.localCheckpoint()
    lap("campaigns")
    progress("scoring accounts", 0, 0)
    all_parts = own_parts.unionByName(m9).unionByName(p7).unionByName(c2).unionByName(c1.select("member_id", "part"))
    if photos is not None and photos.parts:
        photo_parts = spark.createDataFrame(list(photos.parts.items()), "member_id long, part string")
        all_parts = all_parts.unionByName(photo_parts)
    grouped = all_parts.groupBy("member_id").agg(F.collect_list("part").alias("parts")).join(
        c1.select("member_id", "corroborated"), "member_id", "left")
    fused = grouped.select("member_id", "parts", "corroborated").mapInArrow(records.fuse_accounts,
                                                                            ddl(records.FUSED_OUT))
    fused = fused.join(members.select("member_id", "profile_url"), "member_id", "left").join(
        c1.select("member_id", "campaign"), "member_id", "left")
    accounts = fused.toArrow()
    lap("fusion")
    quarantined = quarantine.toArrow().cast(QUARANTINE_SCHEMA) if quarantine is not None else \
        QUARANTINE_SCHEMA.empty_table()
    if photos is not None:
        quarantined = pa.concat_tables([quarantined, photos.quarantine])
    counts = {"rows_read": rows_read, "quarantined": quarantined.num_rows, "items_with_text": int(items.count()),
              "distinct_texts": int(texts.count()), "texts_with_evidence": int(text_ev.count()),
              "senders": int(senders.count()), "profiles_checked": int(senders.count()),
              "outreach_templates": int(qualifying.count()), "outreach_accounts": int(cand.count()),
              "seeds": seed_count, "low_trust_members": low_count, "campaigns": len(campaigns),
              "accounts_with_evidence": accounts.num_rows, **(photos.counts if photos else {})}
    return ScanResult(accounts=accounts, campaigns=campaigns, quarantine=quarantined, counts=counts,
                      seeds=seed_rule, timings=timings)
