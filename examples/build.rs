//! Gives the example binaries an rpath to the libpython that `anypy-cpython` links, so they run
//! without `LD_LIBRARY_PATH` (build scripts of libraries cannot set it for other crates).

fn main() {
    if let Ok(libdir) = std::env::var("DEP_PYTHON_LIBDIR") {
        println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{libdir}");
    }
}
