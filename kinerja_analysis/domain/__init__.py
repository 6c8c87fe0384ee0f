"""Domain: the regulations — SKP capaian, 360° BerAKHLAK scoring, the predikat matrix, SE 3/2023 distribution, IKM, survey conventions."""
