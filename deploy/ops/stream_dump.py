"""Backup of the NATS JetStream streams: every message of each stream (subject, headers, payload, in
stream order) as JSON lines beside the stream's configuration; restore republishes them in order into
a stream of the same configuration, headers (Nats-Msg-Id, CloudEvents) unchanged."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError


async def dump_stream(js: JetStreamContext, stream: str, target: Path) -> dict[str, Any]:
    try:
        info = await js.stream_info(stream)
    except NotFoundError:
        return {"stream": stream, "missing": True, "messages": 0}
    config = {
        "name": info.config.name,
        "subjects": list(info.config.subjects or []),
        "duplicate_window": info.config.duplicate_window,
        "storage": "file",
    }
    total = int(info.state.messages)
    written = 0
    with target.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"config": config}) + "\n")
        if total:
            sub = await js.pull_subscribe(
                "",
                stream=stream,
                config=ConsumerConfig(
                    deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=60.0
                ),
            )
            try:
                while written < total:
                    for msg in await sub.fetch(1000, timeout=5):
                        out.write(
                            json.dumps(
                                {
                                    "seq": msg.metadata.sequence.stream,
                                    "subject": msg.subject,
                                    "headers": dict(msg.headers or {}),
                                    "data": base64.b64encode(msg.data).decode(),
                                },
                                ensure_ascii=False,
                            )
                            + "\n"
                        )
                        written += 1
                        if msg.metadata.num_pending == 0:
                            total = written
            finally:
                await sub.unsubscribe()
    return {"stream": stream, "messages": written, "last_seq": int(info.state.last_seq), "config": config}


async def restore_stream(js: JetStreamContext, source: Path) -> int:
    with source.open(encoding="utf-8") as lines:
        header = json.loads(next(lines))["config"]
        await js.add_stream(
            StreamConfig(
                name=header["name"],
                subjects=header["subjects"],
                storage=StorageType.FILE,
                duplicate_window=header.get("duplicate_window"),
            )
        )
        acks = []
        count = 0
        for line in lines:
            item = json.loads(line)
            data = base64.b64decode(item["data"])
            acks.append(await js.publish_async(item["subject"], data, headers=item["headers"] or None))
            count += 1
            if len(acks) >= 1000:
                for ack in acks:
                    await ack
                acks = []
        for ack in acks:
            await ack
    return count
