fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        rollcage::runtime::install_signal_cleanup();
        let path = std::env::args().nth(1).unwrap();
        let scenarios = rollcage::scenario::load_all(std::path::Path::new(&path)).unwrap_or_else(|e| {
            for err in e { eprintln!("{err}"); }
            std::process::exit(2)
        });
        let engine = rollcage::runtime::Engine::connect().await.unwrap();
        for s in scenarios {
            let o = rollcage::rollback::run_drill(&engine, &s).await;
            match o {
                Ok(o) => println!("{}", serde_json::to_string_pretty(&o).unwrap()),
                Err(e) => println!("ERROR {}", rollcage::rollback::chain(&e)),
            }
        }
    });
}
