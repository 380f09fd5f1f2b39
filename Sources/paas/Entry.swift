// The `paas` executable: everything lives in PaasCLI (executables stay thin).
import PaasCLI

@main
enum Entry {
    static func main() async {
        await PaasCommand.launch()
    }
}
