// Interactive one-off processes: the container's standard streams held by the runner, over
// a pseudo-terminal or pipes that SwiftNIO reads and writes.
import NIOCore
import NIOPosix
import PaasAPI
import PaasContainers

extension ContainerLauncher {
    /// Starts the container with its standard streams on `stdio` (a terminal of `terminal`'s
    /// size, or pipes), runs `body` with them, then stops it; returns once the container is gone.
    func runAttached(terminal: TerminalSize?, _ body: (AttachedProcess) async throws -> Void) async throws {
        let stdio = try terminal.map { try ContainerStdio.terminal(rows: $0.rows, columns: $0.columns) } ?? ContainerStdio.pipes()
        let ownSide = [stdio.outputDescriptor, stdio.inputDescriptor]
        let process: ContainerProcess
        do {
            let (container, networkID, address) = try await makeContainer(terminal: terminal)
            do {
                try await container.start(stdio: stdio)
            } catch {
                try? await factory.network.remove(id: networkID)
                throw error
            }
            process = ContainerProcess(container: container, network: factory.network, networkID: networkID, address: address)
        } catch {
            for descriptor in ownSide { try? descriptor.close() }
            throw error
        }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptors(input: stdio.outputDescriptor.rawValue, output: stdio.inputDescriptor.rawValue) {
                    channel in
                    channel.eventLoop.makeCompletedFuture {
                        // Half-closure: finishing the writer closes the input pipe (end of input).
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                    }
                }
        } catch {
            for descriptor in ownSide { try? descriptor.close() }
            await process.stop(grace: .seconds(2))
            throw error
        }
        do {
            try await channel.executeThenClose { output, input in
                try await body(AttachedProcess(output: output, input: input, stdio: stdio, process: process))
            }
        } catch {
            await process.stop(grace: .seconds(2))
            throw error
        }
        await process.stop(grace: .seconds(2))
    }
}
