import PaasServer

/// The `paasd` executable: everything lives in PaasServer.
@main
struct Paasd {
    static func main() async {
        await PaasdCommand.main()
    }
}
