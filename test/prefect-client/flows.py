"""Flows run by `npm run test:prefect-client` with Prefect's own client against Flow Registry.

Each scenario prints one `RESULT <name> <json>` line with what the client saw (the flow run id among it), so the
Node side can check what the service stored for that run.
"""

import asyncio
import json
import sys

from prefect import flow, get_run_logger, task
from prefect.context import get_run_context

attempts = {"count": 0}


@task
def double(x: int) -> int:
    get_run_logger().info("doubling %s", x)
    return 2 * x


@flow(name="pc-flow-with-task")
def flow_with_task(x: int = 21) -> int:
    get_run_logger().info("flow with a task starting")
    return double(x)


@flow(name="pc-child")
def child(x: int) -> int:
    get_run_logger().info("child running")
    return x + 1


@flow(name="pc-parent")
def parent() -> int:
    return child(1) + child(10)


@flow(name="pc-failing")
def failing() -> None:
    get_run_logger().info("about to fail")
    raise ValueError("this flow fails on purpose")


@flow(name="pc-retrying", retries=1, retry_delay_seconds=0)
def retrying() -> str:
    attempts["count"] += 1
    get_run_logger().info("attempt %s", attempts["count"])
    if attempts["count"] == 1:
        raise RuntimeError("first attempt fails")
    return "ok"


@task
async def async_square(x: int) -> int:
    await asyncio.sleep(0.01)
    return x * x


@flow(name="pc-async")
async def async_flow() -> int:
    get_run_logger().info("async flow")
    return sum(await asyncio.gather(*(async_square(i) for i in range(3))))


def run_id_of(state) -> str:
    return str(state.state_details.flow_run_id)


def report(name: str, **fields) -> None:
    print(f"RESULT {name} {json.dumps(fields)}", flush=True)


def setup() -> None:
    """A work pool `P` and a deployment `pc-flow-with-task/dep` in it, for the CLI commands."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    with get_client(sync_client=True) as client:
        pool = client.create_work_pool(WorkPoolCreate(name="P", type="process"))
        flow_id = client.create_flow_from_name("pc-flow-with-task")
        deployment_id = client.create_deployment(flow_id=flow_id, name="dep", work_pool_name="P")
        found = client.read_deployment_by_name("pc-flow-with-task/dep")
        report("setup", work_pool_id=str(pool.id), deployment_id=str(deployment_id), read_by_name=str(found.id))


def listings(parent_run_id: str) -> None:
    """The client's listing calls: each answer must validate against the client's own models."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        FlowFilter,
        FlowRunFilter,
        WorkPoolFilter,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        children = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id={"any_": [parent_run_id]}),
            sort=FlowRunSort.NAME_ASC,
        )
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id={"any_": [parent_run_id]}))
        report(
            "listings",
            subflow_runs=len(children),
            flow_runs=client.count_flow_runs(flow_filter=FlowFilter(name={"like_": "pc-"})),
            parent_task_runs=len(tasks),
            deployments=len(client.read_deployments(deployment_filter=DeploymentFilter(name={"any_": ["dep"]}))),
            work_pools=[p.name for p in client.read_work_pools(work_pool_filter=WorkPoolFilter(name={"any_": ["P"]}))],
            queues=[q.name for q in client.read_work_queues(work_pool_name="P")],
        )


def main() -> int:
    setup()

    state = flow_with_task(return_state=True)
    report("flow_with_task", flow_run_id=run_id_of(state), type=state.type.value, value=state.result())

    state = parent(return_state=True)
    parent_run_id = run_id_of(state)
    report("subflow", flow_run_id=parent_run_id, type=state.type.value, value=state.result())

    state = failing(return_state=True)
    report("failing", flow_run_id=run_id_of(state), type=state.type.value)

    state = retrying(return_state=True)
    report("retrying", flow_run_id=run_id_of(state), type=state.type.value, attempts=attempts["count"])

    state = asyncio.run(async_flow(return_state=True))
    report("async", flow_run_id=run_id_of(state), type=state.type.value, value=state.result())

    listings(parent_run_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
