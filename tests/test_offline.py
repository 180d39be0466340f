"""The socket guard is armed: no test can reach the network."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketBlockedError


def test_socket_guard_blocks_network() -> None:
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_socket_guard_blocks_dns_style_udp() -> None:
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
