package dev.graft.host.proxy;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.Supplier;

/**
 * The socket transport: native epoll where it loads (Linux x86-64), NIO elsewhere. Client and
 * upstream channels of one event loop must use the same transport.
 */
record Transport(
        String name,
        Supplier<IoHandlerFactory> ioHandlers,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> channel) {

    static final Transport NIO = new Transport(
            "nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);

    static Transport best() {
        return Epoll.isAvailable()
                ? new Transport("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class)
                : NIO;
    }

    boolean isEpoll() {
        return name.equals("epoll");
    }

    MultiThreadIoEventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlers.get());
    }
}
