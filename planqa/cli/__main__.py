from planqa.cli import main

main()
