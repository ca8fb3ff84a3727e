# Infrastructure of the acme demo shop (Vigil demo sample, written for the demo): a few common
# misconfigurations on purpose, so the posture pages have something to show.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-demo-assets"
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket                  = aws_s3_bucket.assets.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_security_group" "ssh" {
  name        = "acme-ssh"
  description = "SSH from anywhere"

  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 50
  encrypted         = false
}

resource "aws_db_instance" "orders" {
  identifier          = "acme-orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "acme"
  password            = "change-me-later"
  publicly_accessible = true
  storage_encrypted   = false
  skip_final_snapshot = true
}
