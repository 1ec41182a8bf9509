"""Coordinated clusters on Spark: `scan.coordination`'s row steps as DataFrame joins and group-bys.

Traces come from `mapInArrow` over the outreach accounts and their items; the pair sums are a self-join on
the trace (a trace links at most `coordination.MAX_ACCOUNTS_PER_TRACE` accounts, so at most 200 x 199 / 2
pairs each); components are min-label propagation joins. Nothing per account reaches the driver but the
campaigns' member lists (for campaigns.parquet): one row per campaign.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from falsefriends.scan import coordination as co
from falsefriends.scan.campaigns import ScanCampaign
from falsefriends.scan.result import Progress


def find_campaigns(spark: Any, candidates: Any, outreach: Any, own_parts: Any, ddl: Callable[[Any], str],
                   components: Callable[..., Any], progress: Progress,
                   photo_keys: Mapping[int, str] | None = None) -> tuple[list[ScanCampaign], Any]:
    """(campaigns, member rows: member_id, campaign, corroborated, part) among the candidates.

    candidates: member_id, employer, created; outreach: sender, recipient, sent_at (ms), template (name or
    null) of the candidates' items; own_parts: member_id, part (the accounts' own evidence JSON).
    """
    from pyspark.sql import functions as F

    empty = spark.createDataFrame([], "member_id long, campaign string, corroborated boolean, part string")
    accounts = int(candidates.count())
    if accounts < 2:
        return [], empty
    traces = candidates.select("member_id", "employer", "created").mapInArrow(
        co.account_trace_rows, ddl(co.TRACE_OUT)).unionByName(
        outreach.select("sender", "recipient", "sent_at", "template").mapInArrow(
            co.item_trace_rows, ddl(co.TRACE_OUT)))
    if photo_keys:
        with_photo = spark.createDataFrame([(int(m),) for m in photo_keys], "member_id long")
        ids = [int(r["member_id"]) for r in candidates.select("member_id").join(with_photo, "member_id",
                                                                                "left_semi").collect()]
        photo = co.photo_trace_rows(photo_keys, ids).to_pylist()
        if photo:
            traces = traces.unionByName(spark.createDataFrame([(r["member_id"], r["trace"]) for r in photo],
                                                              "member_id long, trace string"))
    traces = traces.distinct().localCheckpoint()
    holders = traces.groupBy("trace").agg(F.count("*").alias("holders")).where(
        (F.col("holders") >= 2) & (F.col("holders") <= co.MAX_ACCOUNTS_PER_TRACE))
    weights = holders.mapInArrow(co.weigh_traces(accounts), ddl(co.WEIGHT_OUT))
    weighted = traces.join(weights, "trace").localCheckpoint()
    progress("coordinated clusters: pairs", 0, 0)
    norms = weighted.groupBy("member_id").agg(F.sum(F.col("weight") * F.col("weight")).alias("n2"))
    left = weighted.select("trace", F.col("member_id").alias("a"), "weight")
    right = weighted.select("trace", F.col("member_id").alias("b"))
    pairs = left.join(right, "trace").where(F.col("a") < F.col("b")).groupBy("a", "b").agg(
        F.sum("weight").alias("w"), F.sum(F.col("weight") * F.col("weight")).alias("s2"))
    pairs = pairs.join(norms.select(F.col("member_id").alias("a"), F.col("n2").alias("na")), "a").join(
        norms.select(F.col("member_id").alias("b"), F.col("n2").alias("nb")), "b")
    links = pairs.select("a", "b", "w", "s2", "na", "nb").mapInArrow(co.link_pairs, ddl(co.LINK_OUT))
    links = links.localCheckpoint()
    if not links.limit(1).count():
        return [], empty
    nodes = links.select(F.col("a").alias("rep")).unionByName(links.select(F.col("b").alias("rep"))).distinct()
    labels = components(spark, nodes, links, progress)
    member_of = labels.select(F.col("node").alias("member_id"), F.col("label").alias("campaign")).localCheckpoint()
    progress("coordinated clusters: campaigns", 0, 0)
    shared = weighted.join(member_of, "member_id").groupBy("campaign", "trace").agg(
        F.count("*").alias("count"), F.min("weight").alias("weight")).where(F.col("count") >= 2)
    held = shared.groupBy("campaign").agg(F.collect_list(F.struct("trace", "count", "weight")).alias("held"))
    listed = member_of.groupBy("campaign").agg(F.count("*").alias("size"),
                                               F.collect_list("member_id").alias("members"))
    described = listed.join(held, "campaign", "left").select("campaign", "size", "held").mapInArrow(
        co.describe_clusters, ddl(co.CLUSTER_OUT))
    own = own_parts.join(member_of, "member_id", "left_semi").groupBy("member_id").agg(
        F.collect_list("part").alias("parts")).mapInArrow(co.own_corroboration, ddl(co.OWN_OUT))
    counts = own.where("corroborated").join(member_of, "member_id").groupBy("campaign").agg(
        F.count("*").alias("corroborated_members"))
    rows = described.join(listed.select("campaign", "members"), "campaign").join(counts, "campaign", "left")
    campaigns = co.assemble(rows.select("campaign", "members", "corroborated_members", "shared", "templates",
                                        "part").toArrow())
    verdicts = spark.createDataFrame(
        [(int(c.id.rsplit("-", 1)[1]), c.id, c.corroborated) for c in campaigns],
        "label long, campaign string, corroborated boolean")
    member_rows = member_of.withColumnRenamed("campaign", "label").join(verdicts, "label").join(
        described.select(F.col("campaign").alias("label"), "part"), "label").select(
        "member_id", "campaign", "corroborated", "part")
    return campaigns, member_rows
