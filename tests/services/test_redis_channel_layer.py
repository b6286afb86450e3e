"""With REDIS_URL the channel layer is channels-redis, shared by separate layer instances.

Two layer instances built separately from the settings stand in for two daphne processes: a
message one sends to a group reaches a channel the other added to it.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers, get_channel_layer
from channels_redis.core import RedisChannelLayer

pytestmark = pytest.mark.redis


def test_the_configured_layer_is_channels_redis():
    assert isinstance(get_channel_layer(), RedisChannelLayer)


async def test_a_group_message_crosses_layer_instances():
    sender = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
    receiver = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
    assert sender is not receiver
    group = f"test.{uuid.uuid4().hex}"
    channel = await receiver.new_channel()
    try:
        await receiver.group_add(group, channel)
        await sender.group_send(group, {"type": "board.changed", "text": "已签收"})
        message = await asyncio.wait_for(receiver.receive(channel), timeout=10)
        assert message == {"type": "board.changed", "text": "已签收"}
    finally:
        await receiver.group_discard(group, channel)
        await sender.close_pools()
        await receiver.close_pools()
