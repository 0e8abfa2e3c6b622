"""Great Expectations' side of ``benchmarks.quality``, runnable by any interpreter that has GE.

``python benchmarks/quality_gx.py '{"files": [...], "registry": [...]}'`` reads the people table's
Parquet files into pandas (not timed), validates the expectations GE can express on it (timed) and
prints one JSON line: seconds, rows and each expectation's unexpected count. It imports nothing from
govdata, so it runs in a separate virtualenv (``/tmp/gxenv``) when the project's has no GE.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def main() -> None:
    args: dict[str, Any] = json.loads(sys.argv[1])
    import great_expectations as gx
    import great_expectations.expectations as gxe
    import pandas as pd
    import pyarrow.parquet as pq

    frame = pd.concat([pq.read_table(f).to_pandas() for f in args["files"]], ignore_index=True)
    registry = pd.concat([pq.read_table(f, columns=["sfzh"]).to_pandas() for f in args["registry"]])
    known = registry["sfzh"].dropna().unique().tolist()
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("bench")
        .add_dataframe_asset("people")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    expectations = {
        "not_null(xm)": gxe.ExpectColumnValuesToNotBeNull(column="xm"),
        "not_null(sfzh)": gxe.ExpectColumnValuesToNotBeNull(column="sfzh"),
        "id pattern(sfzh)": gxe.ExpectColumnValuesToMatchRegex(column="sfzh", regex=r"^[0-9]{17}[0-9X]$"),
        "phone(sjhm)": gxe.ExpectColumnValuesToMatchRegex(column="sjhm", regex=r"^(?:\+?86)?1[3-9]\d{9}$"),
        "uniqueness(sfzh)": gxe.ExpectColumnValuesToBeUnique(column="sfzh"),
        "code_set(mz)": gxe.ExpectColumnValuesToBeInSet(
            column="mz", value_set=[f"{i:02d}" for i in range(1, 57)]
        ),
        "range(nl)": gxe.ExpectColumnValuesToBeBetween(column="nl", min_value=0, max_value=120),
        "referential(fqsfzh)": gxe.ExpectColumnValuesToBeInSet(column="fqsfzh", value_set=known),
    }
    suite = context.suites.add(gx.ExpectationSuite(name="bench"))
    for expectation in expectations.values():
        suite.add_expectation(expectation)
    started = time.perf_counter()
    result = batch.validate(suite, result_format="BASIC")
    seconds = time.perf_counter() - started
    # results come back in GE's own order: match them by expectation type and column
    names = {(e.expectation_type, e.column): name for name, e in expectations.items()}
    counts = {
        names[(r.expectation_config.type, r.expectation_config.kwargs["column"])]: int(
            r.result.get("unexpected_count") or 0
        )
        for r in result.results
    }
    print(json.dumps({"seconds": seconds, "rows": len(frame), "counts": counts}))


if __name__ == "__main__":
    main()
