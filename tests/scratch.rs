mod common;
#[test]
fn scratch() {
    let s = common::Site::new();
    let r = s.build();
    println!("{r}");
    let keep = s.root().to_path_buf();
    std::mem::forget(s);
    println!("ROOT {}", keep.display());
}
